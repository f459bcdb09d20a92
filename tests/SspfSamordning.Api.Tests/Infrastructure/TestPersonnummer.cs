namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>Valid (Luhn-checked) personnummer for test people, in the 12-digit form YYYYMMDDNNNC.</summary>
public static class TestPersonnummer
{
    private static int serial = 100;

    /// <summary>A fresh personnummer for someone born on <paramref name="birthDate"/>.</summary>
    public static string For(DateOnly birthDate)
    {
        var number = Interlocked.Increment(ref serial) % 1000;
        var nine = $"{birthDate:yyMMdd}{number:D3}";
        return $"{birthDate:yyyyMMdd}{number:D3}{Luhn(nine)}";
    }

    /// <summary>Someone who is <paramref name="years"/> years old on the test clock's start date.</summary>
    public static string AgedOn(int years, DateTimeOffset at) =>
        For(DateOnly.FromDateTime(at.UtcDateTime).AddYears(-years).AddDays(-30));

    private static int Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }
        return (10 - sum % 10) % 10;
    }
}
