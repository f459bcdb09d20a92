namespace SspfSamordning.Domain.Tests;

public class PersonnummerTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    [Theory]
    [InlineData("19121212-1212", "191212121212")]
    [InlineData("191212121212", "191212121212")]
    [InlineData("121212+1212", "191212121212")]
    [InlineData("121212-1212", "201212121212")]
    [InlineData("1212121212", "201212121212")]
    [InlineData(" 811218-9876 ", "198112189876")]
    [InlineData("6408233234", "196408233234")]
    public void Parse_AcceptedForms_NormaliseToTwelveDigits(string input, string expected)
    {
        Assert.Equal(expected, Personnummer.Parse(input, Today).Value);
    }

    [Theory]
    [InlineData("811218-9875")] // wrong check digit
    [InlineData("811318-9875")] // month 13 (check digit valid)
    [InlineData("810230-9872")] // 30 February (check digit valid)
    [InlineData("81121-89876")] // separator in the wrong place
    [InlineData("811218*9876")]
    [InlineData("19811218+9876")] // '+' only in the 10-digit form
    [InlineData("81121898")]
    [InlineData("8112189876543")]
    [InlineData("abcdefghij")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_InvalidInput_ThrowsValidationErrorForTheField(string? input)
    {
        var error = Assert.Throws<DomainValidationException>(() => Personnummer.Parse(input, Today));

        Assert.Equal(["personnummer"], error.Errors.Keys);
        Assert.False(Personnummer.TryParse(input, Today, out _));
    }

    [Fact]
    public void Parse_ComputesBirthDate()
    {
        var personnummer = Personnummer.Parse("811218-9876", Today);

        Assert.Equal(new DateOnly(1981, 12, 18), personnummer.BirthDate);
        Assert.False(personnummer.IsCoordinationNumber);
        Assert.Equal("19811218-9876", personnummer.ToString());
    }

    [Fact]
    public void Parse_TenDigitForm_TakesLatestCenturyNotInTheFuture()
    {
        var bornToday = TestPersonnummer.For(Today)[2..];
        var bornTomorrow = TestPersonnummer.For(Today.AddDays(1))[2..];

        Assert.Equal(2026, Personnummer.Parse(bornToday, Today).BirthDate.Year);
        Assert.Equal(1926, Personnummer.Parse(bornTomorrow, Today).BirthDate.Year);
    }

    [Fact]
    public void Parse_Samordningsnummer_HasDayPlusSixty()
    {
        var number = Personnummer.Parse("701063-2391", Today);

        Assert.True(number.IsCoordinationNumber);
        Assert.Equal(new DateOnly(1970, 10, 3), number.BirthDate);
        Assert.Equal("197010632391", number.Value);
    }

    [Theory]
    [InlineData("2026-03-09", 14)]
    [InlineData("2026-03-10", 15)]
    [InlineData("2027-03-09", 15)]
    public void AgeOn_TurnsOlderOnTheBirthday(string date, int age)
    {
        var personnummer = Personnummer.Parse(TestPersonnummer.For(new DateOnly(2011, 3, 10)), Today);

        Assert.Equal(age, personnummer.AgeOn(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("2027-02-28", 14)]
    [InlineData("2027-03-01", 15)]
    [InlineData("2028-02-29", 16)]
    public void AgeOn_LeapDayBirthday_TurnsOlderOnFirstOfMarchInCommonYears(string date, int age)
    {
        var personnummer = Personnummer.Parse(TestPersonnummer.For(new DateOnly(2012, 2, 29)), Today);

        Assert.Equal(age, personnummer.AgeOn(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("1912-12-12", 121, "191212121212")] // the check digits of known valid numbers (above)
    [InlineData("1981-12-18", 987, "198112189876")]
    [InlineData("1964-08-23", 323, "196408233234")]
    public void Fictitious_AppendsTheLuhnCheckDigit_AndParses(string born, int serial, string expected)
    {
        var number = Personnummer.Fictitious(DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), serial);
        Assert.Equal(expected, number);
        Assert.Equal(expected, Personnummer.Parse(number, Today).Value);
    }
}
