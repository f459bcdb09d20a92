using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Tests.Encryption;

public sealed class BlindIndexTests
{
    private static readonly byte[] Key = Convert.FromBase64String(EncryptionTestDatabase.BlindIndexKey);

    /// <summary>Distinct valid-looking personnummer: consecutive birth dates from 1930, 100 serial numbers each, Luhn check digit.</summary>
    private static IEnumerable<string> People(int count)
    {
        var day = new DateOnly(1930, 1, 1);
        for (var i = 0; i < count; i++)
        {
            var serial = i % 100 * 10 + 1;
            if (i > 0 && serial == 1) day = day.AddDays(1);
            var nine = $"{day:yyMMdd}{serial:D3}";
            yield return $"{day:yyyyMMdd}{serial:D3}{Luhn(nine)}";
        }
    }

    private static int Luhn(string nine)
    {
        var sum = 0;
        for (var i = 0; i < nine.Length; i++)
        {
            var d = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d / 10 + d % 10;
        }
        return (10 - sum % 10) % 10;
    }

    [Fact]
    public void Compute_IsDeterministicForTheSameKey()
    {
        var index = new BlindIndex(Key, iterations: 10);

        Assert.Equal(index.Compute("200803152385"), new BlindIndex(Key, iterations: 10).Compute("200803152385"));
        Assert.Matches("^[0-9a-f]{3}$", index.Compute("200803152385"));
    }

    [Fact]
    public void Compute_WithAnotherKey_GivesOtherIndexValues()
    {
        var ours = new BlindIndex(Key, iterations: 10);
        var theirs = new BlindIndex(RandomNumberGenerator.GetBytes(32), iterations: 10);
        var people = People(200).ToList();

        var same = people.Count(p => ours.Compute(p) == theirs.Compute(p));

        Assert.True(same <= 5, $"{same} of 200 index values were equal under two keys (expected about 200/4096)."); // P(>5) < 1e-6
    }

    [Fact]
    public void Compute_WithOtherIterations_GivesOtherIndexValues()
    {
        var people = People(200).ToList();

        Assert.True(people.Count(p => new BlindIndex(Key, 10).Compute(p) == new BlindIndex(Key, 11).Compute(p)) <= 5);
    }

    [Fact]
    public void Compute_ForAMunicipalityOf100000_SharesEveryIndexValueAmongAboutTwentyFourPeople()
    {
        var index = new BlindIndex(Key, iterations: 1);

        var buckets = People(100_000).GroupBy(index.Compute).Select(g => g.Count()).ToList();

        Assert.Equal(1 << BlindIndex.Bits, buckets.Count);          // every value is used...
        Assert.Equal(100_000.0 / 4096, buckets.Average(), 3);        // ...by 24.4 people on average...
        Assert.InRange(buckets.Min(), 5, 24);                         // ...and none identifies one person (Poisson(24.4) minimum over 4,096 values ≈ 10)
        Assert.InRange(buckets.Max(), 25, 55);
    }

    [Theory]
    [InlineData("0803152385")]
    [InlineData("20080315-2385")]
    [InlineData("20080315238X")]
    public void Compute_RejectsAnythingButTwelveDigits_WithoutEchoingIt(string input)
    {
        var error = Assert.Throws<ArgumentException>(() => new BlindIndex(Key, 10).Compute(input));

        Assert.DoesNotContain("0803152", error.Message);
    }

    [Fact]
    public void FromConfiguration_OutsideDevelopmentWithoutKey_RefusesToStart()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() =>
            BlindIndex.FromConfiguration(configuration, new TestHostEnvironment("Production", Path.GetTempPath())));

        Assert.Contains(BlindIndex.KeySetting, error.Message);
    }

    [Fact]
    public void FromConfiguration_InDevelopment_GeneratesAKeyFileOnceAndReusesIt()
    {
        var directory = Directory.CreateTempSubdirectory("sspf-bi-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:DataDirectory"] = directory,
                [BlindIndex.IterationsSetting] = "3",
            }).Build();
            var environment = new TestHostEnvironment("Development", directory);

            var first = BlindIndex.FromConfiguration(configuration, environment);
            var keyFile = File.ReadAllText(Path.Combine(directory, BlindIndex.DevelopmentFileName));
            var second = BlindIndex.FromConfiguration(configuration, environment);

            Assert.Equal(32, Convert.FromBase64String(keyFile).Length);
            Assert.Equal(keyFile, File.ReadAllText(Path.Combine(directory, BlindIndex.DevelopmentFileName)));
            var people = People(50).ToList();
            Assert.Equal(people.Select(first.Compute), people.Select(second.Compute));
            Assert.Equal(people.Select(new BlindIndex(Convert.FromBase64String(keyFile), 3).Compute), people.Select(first.Compute));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
