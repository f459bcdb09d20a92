using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// AES-256-GCM for one field value: a fresh random 96-bit nonce per value, a 128-bit tag, and the
/// value's <see cref="FieldLocation"/> as associated data. Stored format (base64url parts):
/// <c>v1.{keyId}.{nonce}.{ciphertext+tag}</c>. Works on pooled buffers: the only allocation per call
/// is the result string (the AesGcm instance is the key's, <see cref="DataKeyMaterial.Cipher"/>).
/// </summary>
public static class FieldCipher
{
    public const string FormatVersion = "v1";
    public const int KeySizeBytes = 32;
    private const string Prefix = FormatVersion + ".";
    private const int NonceSize = 12;
    internal const int TagSize = 16;
    private const int KeyIdChars = 22;  // 16 bytes
    private const int NonceChars = 16;  // 12 bytes

    /// <summary>True when the value has the stored format's prefix; anything else is plaintext left by an earlier version.</summary>
    public static bool IsCiphertext(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Reads the key id of a stored value without decrypting it.</summary>
    public static bool TryReadKeyId(string value, out Guid keyId)
    {
        keyId = default;
        return TrySplit(value, out var keyIdPart, out _, out _) && TryDecodeKeyId(keyIdPart, out keyId);
    }

    public static string Encrypt(string plaintext, DataKeyMaterial key, FieldLocation location)
    {
        var plainLength = Encoding.UTF8.GetByteCount(plaintext);
        var aadLength = location.AssociatedDataLength;
        // One pooled buffer: nonce | plaintext | ciphertext | tag | associated data.
        var buffer = ArrayPool<byte>.Shared.Rent(NonceSize + 2 * plainLength + TagSize + aadLength);
        try
        {
            var nonce = buffer.AsSpan(0, NonceSize);
            var plain = buffer.AsSpan(NonceSize, plainLength);
            var sealedBytes = buffer.AsSpan(NonceSize + plainLength, plainLength + TagSize);
            var aad = buffer.AsSpan(NonceSize + 2 * plainLength + TagSize, aadLength);
            RandomNumberGenerator.Fill(nonce);
            Encoding.UTF8.GetBytes(plaintext, plain);
            location.WriteAssociatedData(aad);
            key.Cipher.Encrypt(nonce, plain, sealedBytes[..plainLength], sealedBytes[plainLength..], aad);
            CryptographicOperations.ZeroMemory(plain);

            var length = Prefix.Length + KeyIdChars + 1 + NonceChars + 1 + Base64Url.GetEncodedLength(sealedBytes.Length);
            return string.Create(length, (buffer, plainLength, key.KeyId), static (chars, state) =>
            {
                var (buffer, plainLength, keyId) = state;
                Prefix.CopyTo(chars);
                var at = Prefix.Length;
                Span<byte> keyIdBytes = stackalloc byte[16];
                keyId.TryWriteBytes(keyIdBytes, bigEndian: true, out _);
                at += Base64Url.EncodeToChars(keyIdBytes, chars[at..]);
                chars[at++] = '.';
                at += Base64Url.EncodeToChars(buffer.AsSpan(0, NonceSize), chars[at..]);
                chars[at++] = '.';
                Base64Url.EncodeToChars(buffer.AsSpan(NonceSize + plainLength, plainLength + TagSize), chars[at..]);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <exception cref="CiphertextTamperedException">The value is malformed, altered, or belongs to another location.</exception>
    public static string Decrypt(string stored, DataKeyMaterial key, FieldLocation location)
    {
        if (!TrySplit(stored, out var keyIdPart, out var noncePart, out var payloadPart)
            || !TryDecodeKeyId(keyIdPart, out var keyId))
            throw new CiphertextTamperedException(location);
        if (keyId != key.KeyId)
            throw new ArgumentException($"The value in {location} is encrypted with key {keyId}, not with key {key.KeyId}.", nameof(key));

        var maxPayload = Base64Url.GetMaxDecodedLength(payloadPart.Length);
        var aadLength = location.AssociatedDataLength;
        var buffer = ArrayPool<byte>.Shared.Rent(NonceSize + 2 * maxPayload + aadLength);
        try
        {
            var nonce = buffer.AsSpan(0, NonceSize);
            var payload = buffer.AsSpan(NonceSize, maxPayload);
            if (!TryDecode(noncePart, nonce, NonceSize) || !Base64Url.TryDecodeFromChars(payloadPart, payload, out var payloadLength)
                || payloadLength < TagSize)
                throw new CiphertextTamperedException(location);
            var cipherLength = payloadLength - TagSize;
            var plain = buffer.AsSpan(NonceSize + maxPayload, cipherLength);
            var aad = buffer.AsSpan(NonceSize + 2 * maxPayload, aadLength);
            location.WriteAssociatedData(aad);
            try
            {
                key.Cipher.Decrypt(nonce, payload[..cipherLength], payload.Slice(cipherLength, TagSize), plain, aad);
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new CiphertextTamperedException(location, e);
            }
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private static bool TrySplit(string value, out ReadOnlySpan<char> keyId, out ReadOnlySpan<char> nonce, out ReadOnlySpan<char> payload)
    {
        keyId = nonce = payload = default;
        if (!IsCiphertext(value)) return false;
        var rest = value.AsSpan(Prefix.Length);
        if (rest.Length < KeyIdChars + 1 + NonceChars + 1 || rest[KeyIdChars] != '.' || rest[KeyIdChars + 1 + NonceChars] != '.')
            return false;
        keyId = rest[..KeyIdChars];
        nonce = rest.Slice(KeyIdChars + 1, NonceChars);
        payload = rest[(KeyIdChars + 1 + NonceChars + 1)..];
        return true;
    }

    private static bool TryDecodeKeyId(ReadOnlySpan<char> chars, out Guid keyId)
    {
        Span<byte> bytes = stackalloc byte[16];
        keyId = TryDecode(chars, bytes, 16) ? new Guid(bytes, bigEndian: true) : default;
        return keyId != default;
    }

    private static bool TryDecode(ReadOnlySpan<char> chars, Span<byte> destination, int expectedLength) =>
        Base64Url.TryDecodeFromChars(chars, destination, out var written) && written == expectedLength;
}
