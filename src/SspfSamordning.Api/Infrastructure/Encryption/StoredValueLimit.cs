using System.Buffers.Text;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Defence in depth behind the domain's text limits (issue 15): a stored value longer than the longest value the domain
/// accepts — left by a version without limits, or written into the database directly — is never decrypted. Decrypting
/// it would cost several times its size in memory on every list that shows it, for every user (an earlier version's
/// lists failed with <see cref="OutOfMemoryException"/> under the heap limit); instead the row reads with
/// <see cref="Placeholder"/> in that field, and every other row and field reads as usual.
/// </summary>
public static class StoredValueLimit
{
    /// <summary>Shown instead of an oversized value.</summary>
    public const string Placeholder = "[Värdet är för stort för att visas]";

    /// <summary>The stored length of the longest value the domain accepts (3 UTF-8 bytes per character, tag, format), with room to spare.</summary>
    public static readonly int MaxStoredLength = 64 + Base64Url.GetEncodedLength(3 * TextLimits.Longest + FieldCipher.TagSize) + 1024;

    public static bool Exceeds(string stored) => stored.Length > MaxStoredLength;
}
