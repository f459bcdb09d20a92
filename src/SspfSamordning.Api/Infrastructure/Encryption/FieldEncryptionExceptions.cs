namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Base of the errors of field-level encryption. Messages name tables, columns, row ids and key ids,
/// never a decrypted (or encrypted) value.
/// </summary>
public abstract class FieldEncryptionException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// An encrypted value failed authentication: it was altered, is malformed, or was copied from another
/// row or column. The value is never returned.
/// </summary>
public sealed class CiphertextTamperedException(FieldLocation location, Exception? innerException = null)
    : FieldEncryptionException(
        $"The encrypted value in {location} failed authentication: it was altered or copied from another row or column.",
        innerException)
{
    public FieldLocation Location { get; } = location;
}

/// <summary>
/// A data key cannot be used: it does not exist (shredded, or never created) or cannot be unwrapped
/// (the Data Protection key ring or the master key that wrapped it is not available).
/// </summary>
public sealed class DataKeyUnavailableException(Guid keyId, string reason, Exception? innerException = null)
    : FieldEncryptionException($"Data key {keyId} is unavailable: {reason}", innerException)
{
    public Guid KeyId { get; } = keyId;
}
