using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>Rows read and values rewritten by a re-encryption run.</summary>
public readonly record struct ReEncryptionResult(int RowsScanned, int ValuesRewritten)
{
    public static ReEncryptionResult operator +(ReEncryptionResult a, ReEncryptionResult b) =>
        new(a.RowsScanned + b.RowsScanned, a.ValuesRewritten + b.ValuesRewritten);
}

/// <summary>
/// Moves every encrypted value to its owner's current key: values under an older key (after
/// <see cref="KeyRing.RotateAsync"/>) are decrypted and re-encrypted, and plaintext left by earlier
/// versions (no <c>v1.</c> prefix) is encrypted. Works table by table on the raw columns, in pages
/// ordered by primary key, one transaction per page.
/// <list type="bullet">
/// <item>Idempotent: a value already under its owner's current key is skipped without decrypting,
/// so a second run rewrites nothing.</item>
/// <item>Resumable: a cancelled or failed run leaves whole pages done or untouched; the next run
/// skips what is done.</item>
/// <item>Safe beside live traffic: each update is conditional on the column still holding the value
/// that was read, so a concurrent write (already under the current key) is never overwritten, and
/// reads work throughout since old keys remain until shredded.</item>
/// </list>
/// The paging SQL uses <c>LIMIT</c> and row-value comparison (SQLite and PostgreSQL).
/// </summary>
public sealed class FieldReEncryption(KeyRings keyRings)
{
    public const int DefaultBatchSize = 500;

    /// <param name="batchCompleted">Called after each committed page with that page's counts.</param>
    public async Task<ReEncryptionResult> RunAsync(
        DbContext context, int batchSize = DefaultBatchSize, Action<ReEncryptionResult>? batchCompleted = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var ring = keyRings.For(context);
        var sql = context.GetService<ISqlGenerationHelper>();
        var total = new ReEncryptionResult();
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var table in TablePlan.For(context.Model, sql))
            {
                object?[]? after = null;
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var rows = await ReadPageAsync(context, table, after, batchSize, cancellationToken);
                    if (rows.Count == 0) break;
                    var updates = await ComputeUpdatesAsync(ring, table, rows, cancellationToken);
                    var rewritten = await WriteAsync(context, table, updates, cancellationToken);
                    var page = new ReEncryptionResult(rows.Count, rewritten);
                    total += page;
                    batchCompleted?.Invoke(page);
                    after = table.KeyOrdinals.Select(i => rows[^1][i]).ToArray();
                }
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
        return total;
    }

    private sealed record Update(object?[] Key, FieldPlan Field, string OldValue, string NewValue);

    private static async Task<List<Update>> ComputeUpdatesAsync(KeyRing ring, TablePlan table, List<object?[]> rows, CancellationToken cancellationToken)
    {
        var updates = new List<Update>();
        foreach (var row in rows)
        {
            foreach (var field in table.Fields)
            {
                if (row[field.ValueOrdinal] is not string stored) continue;
                var owner = ToModel(row[field.OwnerOrdinal], field.Type.KeyOwner) as Guid?
                    ?? throw new InvalidOperationException($"Field encryption: a row of {table.DisplayName} has no key owner in column of '{field.Type.KeyOwner.Name}'.");
                var current = await ring.CurrentAsync(owner, cancellationToken);
                if (FieldCipher.TryReadKeyId(stored, out var keyId) && keyId == current.KeyId) continue;

                var rowId = RowIds.Format(field.KeyOrdinals.Select((ordinal, i) => ToModel(row[ordinal], field.Type.Key[i])).ToList());
                var location = field.Type.Location(field.Field, rowId);
                var updated = ring.Encrypt(ring.Decrypt(stored, location, owner, acceptPlaintext: true), owner, location);
                updates.Add(new Update(table.KeyOrdinals.Select(i => row[i]).ToArray(), field, stored, updated));
            }
        }
        return updates;
    }

    private static async Task<List<object?[]>> ReadPageAsync(DbContext context, TablePlan table, object?[]? after, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(context);
        var where = after is null ? "" : $" WHERE {table.KeyTuple} > {Parameters(command, table.Sql, after)}";
        command.CommandText = $"SELECT {table.SelectList} FROM {table.Name}{where} ORDER BY {table.KeyList} LIMIT {batchSize.ToString(CultureInfo.InvariantCulture)}";
        var rows = new List<object?[]>(batchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            for (var i = 0; i < row.Length; i++) if (row[i] is DBNull) row[i] = null;
            rows.Add(row);
        }
        return rows;
    }

    private static async Task<int> WriteAsync(DbContext context, TablePlan table, List<Update> updates, CancellationToken cancellationToken)
    {
        if (updates.Count == 0) return 0;
        var ownTransaction = context.Database.CurrentTransaction is null ? await context.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var rewritten = 0;
            foreach (var update in updates)
            {
                await using var command = CreateCommand(context);
                var column = update.Field.ColumnSql;
                var newValue = Parameters(command, table.Sql, [update.NewValue]);
                var key = Parameters(command, table.Sql, update.Key);
                var oldValue = Parameters(command, table.Sql, [update.OldValue]);
                command.CommandText = $"UPDATE {table.Name} SET {column} = {newValue} WHERE {table.KeyTuple} = {key} AND {column} = {oldValue}";
                rewritten += await command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
            return rewritten;
        }
        finally
        {
            if (ownTransaction is not null) await ownTransaction.DisposeAsync();
        }
    }

    private static DbCommand CreateCommand(DbContext context)
    {
        var command = context.Database.GetDbConnection().CreateCommand();
        command.Transaction = context.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>Adds the values as parameters (raw, as read: provider-native types) and returns "(@p0, @p1)".</summary>
    private static string Parameters(DbCommand command, ISqlGenerationHelper sql, object?[] values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = sql.GenerateParameterName("p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture));
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
            names.Add(sql.GenerateParameterNamePlaceholder(parameter.ParameterName.TrimStart('@', ':', '$')));
        }
        return $"({string.Join(", ", names)})";
    }

    /// <summary>A raw column value as the model's CLR value (for row ids and owner ids), e.g. SQLite's text Guid as a Guid.</summary>
    private static object? ToModel(object? raw, IProperty property)
    {
        if (raw is null) return null;
        var converter = property.GetTypeMapping().Converter;
        if (converter is not null) return converter.ConvertFromProvider(Coerce(raw, converter.ProviderClrType));
        return Coerce(raw, Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType);
    }

    private static object Coerce(object raw, Type type) =>
        type.IsInstanceOfType(raw) ? raw
        : type == typeof(Guid) ? raw switch
        {
            string text => Guid.Parse(text),
            byte[] bytes => new Guid(bytes),
            _ => throw new InvalidOperationException($"Cannot read a Guid from a {raw.GetType().Name} column."),
        }
        : Convert.ChangeType(raw, type, CultureInfo.InvariantCulture);

    private sealed record FieldPlan(EncryptedEntityType Type, EncryptedField Field, string ColumnSql, int ValueOrdinal, int OwnerOrdinal, int[] KeyOrdinals);

    /// <summary>One table with encrypted columns (entity types that share a table are one plan), and the SQL pieces to page through it.</summary>
    private sealed record TablePlan(string DisplayName, string Name, string SelectList, string KeyList, string KeyTuple, int[] KeyOrdinals, List<FieldPlan> Fields, ISqlGenerationHelper Sql)
    {
        public static IEnumerable<TablePlan> For(IModel model, ISqlGenerationHelper sql) =>
            EncryptedEntityType.Of(model).Values.GroupBy(t => t.StoreObject).Select(group =>
            {
                var store = group.Key;
                var columns = new List<string>();
                int Ordinal(IProperty property)
                {
                    var name = property.GetColumnName(store) ?? throw new InvalidOperationException(
                        $"Field encryption: '{property.DeclaringType.DisplayName()}.{property.Name}' has no column in {store.Name}; key owners and keys must be columns of the encrypted table.");
                    var index = columns.IndexOf(name);
                    if (index >= 0) return index;
                    columns.Add(name);
                    return columns.Count - 1;
                }
                var first = group.First();
                var keyOrdinals = first.Key.Select(Ordinal).ToArray();
                var fields = new List<FieldPlan>();
                foreach (var type in group)
                {
                    var typeKey = type.Key.Select(Ordinal).ToArray();
                    if (!typeKey.SequenceEqual(keyOrdinals))
                        throw new InvalidOperationException($"Field encryption: {type.EntityType.DisplayName()} does not share the primary key of {store.Name}.");
                    foreach (var field in type.Fields.Where(f => fields.All(p => p.Field.Column != f.Column)))
                        fields.Add(new FieldPlan(type, field, sql.DelimitIdentifier(field.Column), Ordinal(field.Property), Ordinal(type.KeyOwner), typeKey));
                }
                var keyNames = keyOrdinals.Select(i => sql.DelimitIdentifier(columns[i])).ToList();
                return new TablePlan(
                    first.Table,
                    sql.DelimitIdentifier(store.Name, store.Schema),
                    string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c))),
                    string.Join(", ", keyNames),
                    $"({string.Join(", ", keyNames)})",
                    keyOrdinals,
                    fields,
                    sql);
            }).ToList();
    }
}
