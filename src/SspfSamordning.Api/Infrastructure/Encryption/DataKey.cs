using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// One version of the data key of a key owner (a case). The key material is wrapped by ASP.NET Core
/// Data Protection (purpose <see cref="DataKeyStore.Purpose"/>, sub-purpose the key id), so the
/// database alone never holds a usable key. Deleting an owner's rows is crypto-shredding.
/// </summary>
public sealed class DataKey
{
    /// <summary>The key id written into every ciphertext.</summary>
    public Guid Id { get; init; }
    public Guid OwnerId { get; init; }

    /// <summary>1, 2, ... per owner; the highest is the current key, used for new writes.</summary>
    public int Version { get; init; }

    public required byte[] WrappedKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a newer version replaced this one; it still decrypts until re-encryption has moved its values.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>An unwrapped data key, held in memory for the life of one <see cref="KeyRing"/> (one DbContext).</summary>
/// <remarks>Not thread-safe, like the key ring and the DbContext it belongs to: <see cref="Cipher"/> is one AesGcm
/// instance, built on first use. Building an AesGcm (its key schedule) costs 30–40 µs, far more than encrypting or
/// decrypting one field with it (bench/results/encryption.md), so every field of a case shares it.</remarks>
public sealed class DataKeyMaterial(Guid keyId, Guid ownerId, int version, byte[] key)
{
    private AesGcm? cipher;

    public Guid KeyId { get; } = keyId;
    public Guid OwnerId { get; } = ownerId;
    public int Version { get; } = version;
    internal byte[] Key { get; } = key.Length == FieldCipher.KeySizeBytes
        ? key
        : throw new ArgumentException($"A data key has {FieldCipher.KeySizeBytes} bytes.", nameof(key));

    internal AesGcm Cipher => cipher ??= new AesGcm(Key, FieldCipher.TagSize);

    /// <summary>Frees the cipher and zeroes the key bytes: the ring that held this material is gone (its context was disposed).</summary>
    internal void Destroy()
    {
        ReleaseCipher();
        CryptographicOperations.ZeroMemory(Key);
    }

    /// <summary>Frees the native cipher context now rather than in the finalizer (measured: finalizing them was a visible
    /// share of CPU under load). The material stays usable: a later use builds a new cipher.</summary>
    internal void ReleaseCipher()
    {
        cipher?.Dispose();
        cipher = null;
    }
}

public static class DataKeyModel
{
    /// <summary>
    /// Maps <see cref="DataKey"/> (table <c>DataKeys</c>, unique per owner and version). A model builder
    /// extension rather than an auto-discovered IEntityTypeConfiguration, so that the table enters a
    /// model only where it is asked for (and with a migration).
    /// </summary>
    public static ModelBuilder AddDataKeys(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DataKey>(b =>
        {
            b.ToTable("DataKeys");
            b.HasKey(k => k.Id);
            b.Property(k => k.Id).ValueGeneratedNever();
            b.Property(k => k.WrappedKey).IsRequired();
            b.HasIndex(k => new { k.OwnerId, k.Version }).IsUnique();
        });
        return modelBuilder;
    }
}
