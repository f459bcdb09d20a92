using System.Globalization;

namespace SspfSamordning.Domain;

/// <summary>
/// A Swedish personnummer or samordningsnummer (day of birth + 60), normalised to 12 digits
/// (YYYYMMDDNNNC). Accepts 10 or 12 digits with or without '-' or '+'; in the 10-digit form '+'
/// means the person is 100 or older. The century of a 10-digit number is taken from
/// <c>today</c>: the latest birth date not after today.
/// </summary>
public sealed record Personnummer
{
    private Personnummer(string value, DateOnly birthDate, bool isCoordinationNumber)
    {
        Value = value;
        BirthDate = birthDate;
        IsCoordinationNumber = isCoordinationNumber;
    }

    /// <summary>The normalised 12-digit form, e.g. "200803152385".</summary>
    public string Value { get; }

    public DateOnly BirthDate { get; }

    public bool IsCoordinationNumber { get; }

    public int AgeOn(DateOnly date)
    {
        var age = date.Year - BirthDate.Year;
        return (date.Month, date.Day).CompareTo((BirthDate.Month, BirthDate.Day)) < 0 ? age - 1 : age;
    }

    public override string ToString() => $"{Value[..8]}-{Value[8..]}";

    /// <summary>The oldest person the register accepts: a birth date further back is a typing error.</summary>
    public const int MaxAgeYears = 120;

    /// <exception cref="DomainValidationException">Naming <paramref name="field"/>: not a personnummer, or a birth date
    /// after <paramref name="today"/> or more than <see cref="MaxAgeYears"/> years before it.</exception>
    public static Personnummer Parse(string? input, DateOnly today, string field = "personnummer")
    {
        if (!TryParseNumber(input, today, out var personnummer))
            throw new DomainValidationException(field, "Ogiltigt personnummer.");
        if (personnummer.BirthDate > today)
            throw new DomainValidationException(field, "Personnumrets födelsedatum ligger i framtiden.");
        if (personnummer.BirthDate < today.AddYears(-MaxAgeYears))
            throw new DomainValidationException(field, $"Personnumrets födelsedatum ligger mer än {MaxAgeYears} år bakåt i tiden.");
        return personnummer;
    }

    /// <summary>A valid personnummer whose birth date lies within the last <see cref="MaxAgeYears"/> years up to <paramref name="today"/>.</summary>
    public static bool TryParse(string? input, DateOnly today, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Personnummer? personnummer) =>
        TryParseNumber(input, today, out personnummer)
        && personnummer.BirthDate <= today && personnummer.BirthDate >= today.AddYears(-MaxAgeYears);

    /// <summary>A stored, normalised 12-digit number (it carries its century): no range check against a date.</summary>
    internal static Personnummer Stored(string twelveDigits) =>
        twelveDigits.Length == 12 && TryParseNumber(twelveDigits, DateOnly.MaxValue, out var personnummer)
            ? personnummer
            : throw new DomainValidationException("personnummer", "Ogiltigt personnummer.");

    private static bool TryParseNumber(string? input, DateOnly today, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Personnummer? personnummer)
    {
        personnummer = null;
        var text = input?.Trim() ?? "";
        var separator = text.Length is 11 or 13 ? text[^5] : '\0';
        if (separator != '\0')
        {
            if (separator is not ('-' or '+')) return false;
            text = text.Remove(text.Length - 5, 1);
        }
        if (text.Length is not (10 or 12) || !text.All(char.IsAsciiDigit)) return false;
        if (text.Length == 12 && separator == '+') return false;
        if (!LuhnValid(text[^10..])) return false;

        var month = int.Parse(text[^8..^6], CultureInfo.InvariantCulture);
        var day = int.Parse(text[^6..^4], CultureInfo.InvariantCulture);
        var isCoordinationNumber = day > 60;
        if (isCoordinationNumber) day -= 60;

        int year;
        if (text.Length == 12)
        {
            year = int.Parse(text[..4], CultureInfo.InvariantCulture);
        }
        else
        {
            var twoDigitYear = int.Parse(text[..2], CultureInfo.InvariantCulture);
            year = today.Year - today.Year % 100 + twoDigitYear;
            if (year > today.Year || (year == today.Year && (month, day).CompareTo((today.Month, today.Day)) > 0))
                year -= 100;
            if (separator == '+') year -= 100;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        var birthDate = new DateOnly(year, month, day);
        var century = (year / 100).ToString("00", CultureInfo.InvariantCulture);
        personnummer = new Personnummer(century + text[^10..], birthDate, isCoordinationNumber);
        return true;
    }

    private static bool LuhnValid(string tenDigits) => LuhnSum(tenDigits) % 10 == 0;

    /// <summary>
    /// A made-up but valid 12-digit personnummer for <paramref name="birthDate"/> and a three-digit serial: the Luhn check
    /// digit appended. For demo data and tests only (the real person with that number, if any, is not meant).
    /// </summary>
    public static string Fictitious(DateOnly birthDate, int serial)
    {
        var nine = $"{birthDate:yyMMdd}{serial % 1000:000}";
        return $"{birthDate:yyyy}{nine[2..]}{(10 - LuhnSum(nine) % 10) % 10}";
    }

    /// <summary>The Luhn sum of the digits, doubling every other one from the first.</summary>
    private static int LuhnSum(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += digit > 9 ? digit - 9 : digit;
        }
        return sum;
    }
}
