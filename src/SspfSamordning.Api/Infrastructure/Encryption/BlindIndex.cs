using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Blind index of a personnummer, for lookup without decrypting every row: PBKDF2-HMAC-SHA256 keyed
/// with the index key (the PBKDF2 password; kept outside the database and distinct from every data
/// key) over <c>"sspf-personnummer-v1:" + the normalised 12 digits</c> (the salt), truncated to
/// <see cref="Bits"/> bits. Query by the index, then decrypt the candidates and compare.
/// </summary>
/// <remarks>
/// <para><b>Sizing.</b> 12 bits give 4,096 index values. In a municipality of 100,000 people each
/// value is shared by about 24 of them (100,000 / 4,096 ≈ 24.4; spread as Poisson(24.4), fewer than
/// 1 value in 10,000 is shared by fewer than 8 people). So the index alone, even with the index key,
/// only narrows a person down to a couple of dozen residents: it does not identify anyone, and two
/// rows with equal index values need not be the same person. The price is false candidates: with
/// 5,000 people in the register a lookup decrypts on average 5,000 / 4,096 ≈ 1.2 rows besides the
/// match. Changing <see cref="Bits"/> means recomputing every stored index.</para>
/// <para><b>Slowness.</b> <c>Encryption:BlindIndexIterations</c>, default and production value
/// 100,000 (about 30–50 ms per computation here, one per search or save of a personnummer): if the
/// index key leaks, computing the index of every possible personnummer (~4·10^7 per century) costs
/// years of CPU instead of seconds. Tests use a handful.</para>
/// </remarks>
public sealed class BlindIndex
{
    public const int Bits = 12;
    public const int DefaultIterations = 100_000;
    /// <summary>Outside Development the app refuses to start with fewer iterations (tests and Development may use a handful).</summary>
    public const int MinimumIterations = 100_000;
    public const string KeySetting = "Encryption:BlindIndexKey";
    public const string IterationsSetting = "Encryption:BlindIndexIterations";
    public const string DevelopmentFileName = "blind-index.key";
    private const string Domain = "sspf-personnummer-v1:";

    private readonly byte[] key;
    private readonly int iterations;

    public BlindIndex(byte[] key, int iterations = DefaultIterations)
    {
        if (key.Length < 32) throw new ArgumentException("The blind index key must have at least 32 bytes.", nameof(key));
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        this.key = key.ToArray();
        this.iterations = iterations;
    }

    /// <summary>The index value (3 lowercase hex digits) of a normalised 12-digit personnummer.</summary>
    /// <exception cref="ArgumentException">Not 12 digits (the message never contains the input).</exception>
    public string Compute(string normalisedPersonnummer)
    {
        if (normalisedPersonnummer.Length != 12 || !normalisedPersonnummer.All(char.IsAsciiDigit))
            throw new ArgumentException("A blind index is computed over the normalised 12-digit personnummer.", nameof(normalisedPersonnummer));
        Span<byte> salt = stackalloc byte[Domain.Length + 12];
        Encoding.ASCII.GetBytes(Domain, salt);
        Encoding.ASCII.GetBytes(normalisedPersonnummer, salt[Domain.Length..]);
        Span<byte> hash = stackalloc byte[4];
        Rfc2898DeriveBytes.Pbkdf2(key, salt, hash, iterations, HashAlgorithmName.SHA256);
        var value = BinaryPrimitives.ReadUInt32BigEndian(hash) >> (32 - Bits);
        return value.ToString("x3", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>From <c>Encryption:BlindIndexKey</c> (base64, at least 32 bytes) and <c>Encryption:BlindIndexIterations</c>. Development
    /// without a key generates one into <c>&lt;Database:DataDirectory&gt;/blind-index.key</c>; other environments refuse to start.</summary>
    public static BlindIndex FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var iterations = configuration.GetValue(IterationsSetting, DefaultIterations);
        if (iterations < MinimumIterations && !environment.IsDevelopment())
            throw new InvalidOperationException(
                $"{IterationsSetting} is {iterations} in environment '{environment.EnvironmentName}'; it must be at least {MinimumIterations} outside Development.");
        var configured = configuration[KeySetting];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            try
            {
                return new BlindIndex(Convert.FromBase64String(configured), iterations);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidOperationException($"{KeySetting} must be base64 of at least 32 random bytes.", e);
            }
        }
        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                $"No blind index key is configured for environment '{environment.EnvironmentName}'. Set {KeySetting} (base64 of 32 random bytes, kept outside the database).");
        var path = Path.Combine(DataDirectory.Resolve(configuration, environment), DevelopmentFileName);
        var text = DataDirectory.ReadOrCreateSecret(path, static () => Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        return new BlindIndex(Convert.FromBase64String(Encoding.ASCII.GetString(text)), iterations);
    }
}
