using System.Text;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Where an encrypted value lives: table, column and row id (the primary key, formatted by
/// <see cref="RowIds"/>). Bound into every ciphertext as AES-GCM associated data, so a value copied
/// to another row or column fails to decrypt. Renaming a table or column therefore needs the data
/// re-encrypted under the new name. None of the parts is personal data, so it may appear in messages.
/// </summary>
public readonly record struct FieldLocation(string Table, string Column, string RowId)
{
    internal int AssociatedDataLength =>
        FieldCipher.FormatVersion.Length + 3
        + Encoding.UTF8.GetByteCount(Table) + Encoding.UTF8.GetByteCount(Column) + Encoding.UTF8.GetByteCount(RowId);

    /// <summary>Writes <c>v1 NUL table NUL column NUL rowId</c> (UTF-8) and returns the bytes written.</summary>
    internal int WriteAssociatedData(Span<byte> destination)
    {
        var written = Encoding.UTF8.GetBytes(FieldCipher.FormatVersion, destination);
        foreach (var part in (ReadOnlySpan<string>)[Table, Column, RowId])
        {
            destination[written++] = 0;
            written += Encoding.UTF8.GetBytes(part, destination[written..]);
        }
        return written;
    }

    public override string ToString() => $"{Table}.{Column} (row {RowId})";
}

/// <summary>Formats primary key values into the row id part of a <see cref="FieldLocation"/>.</summary>
internal static class RowIds
{
    public static string Format(IReadOnlyList<object?> keyValues) => keyValues.Count == 1
        ? Format(keyValues[0])
        : string.Join('/', keyValues.Select(Format));

    private static string Format(object? value) => value switch
    {
        null => throw new InvalidOperationException("An encrypted row has a null primary key value."),
        Guid guid => guid.ToString("D"),
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
