using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// Writes linked access events (<see cref="AuditChain.LinkAsync"/>) to their table in the current transaction, without EF's
/// change tracker. PostgreSQL: one INSERT of all the events, each column's values as one array parameter
/// (<c>INSERT … SELECT * FROM unnest($1, …, $18)</c>). SQL Server: one parameterized single-row INSERT per event, all of
/// them in one round trip (a <see cref="DbBatch"/>). SQLite (in process): one prepared command run per event.
/// </summary>
/// <remarks>
/// Profiled (round five): tracking, snapshotting and EF's update pipeline cost about a fifth of a case list's API CPU and
/// most of its allocations (one event per listed case). Round nine (bench/results/load.md, "listmem"): one parameter per
/// column and event was then the list's largest allocation (25 events × 18 columns of <c>NpgsqlParameter</c>, ~19 % of
/// its bytes); PostgreSQL's arrays take 18 parameters whatever the number of events. The statement is the same for every
/// number of events — one text, prepared once by Npgsql's automatic preparation (a multi-row VALUES would be a new text
/// per row count). Table, columns and each value's conversion come from EF's model and type mappings, so every value is
/// stored exactly as EF stores it (SQLite's ticks and text GUIDs, enum names, SQL Server's sizes; on PostgreSQL the
/// arrays' text elements reach the varchar columns by assignment, which refuses a value that is too long as EF's
/// parameter would): reads, ordering and the verifier see no difference.
/// </remarks>
internal static class AccessEventRows
{
    private sealed record Statement(string Sql, IReadOnlyList<(IProperty Property, RelationalTypeMapping Mapping, string Name)> Columns, bool Arrays);

    private static readonly ConditionalWeakTable<IModel, Statement> Statements = [];

    /// <summary>
    /// Inserts <paramref name="events"/> in the current transaction; with <paramref name="commit"/> (the current transaction,
    /// begun by the caller for this unit of work) commits it too. On PostgreSQL the COMMIT goes in the INSERT's round trip,
    /// as the second statement of one batch: the stripes' locks, taken before, are then held one round trip less, and
    /// every append to those stripes waits that much less. The batch has no error barrier, so when the INSERT fails the
    /// server skips the COMMIT and the transaction is left failed, for the caller's dispose to roll back. Npgsql tracks
    /// the transaction's status from the server's ReadyForQuery: after the batch's COMMIT its transaction is completed
    /// (<c>NpgsqlTransaction.IsCompleted</c>), so disposing it sends nothing; it must not be committed again.
    /// </summary>
    public static async Task InsertAsync(SspfDbContext db, IReadOnlyList<AccessEvent> events, IDbContextTransaction? commit, CancellationToken ct)
    {
        var current = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Access events are inserted inside a transaction.");
        if (commit is not null && commit != current)
            throw new InvalidOperationException("Only the current transaction is committed with the access events.");
        var transaction = current.GetDbTransaction();
        var connection = db.Database.GetDbConnection();
        var statement = Statements.GetValue(db.Model, _ => StatementOf(db));
        var timeout = db.Database.GetCommandTimeout();
        if (statement.Arrays)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            if (timeout is { } t) batch.Timeout = t;
            if (events.Count > 0)
            {
                var insert = batch.CreateBatchCommand();
                insert.CommandText = statement.Sql;
                foreach (var column in statement.Columns) insert.Parameters.Add(ArrayParameterOf(insert, column, events));
                batch.BatchCommands.Add(insert);
            }
            if (commit is not null)
            {
                var end = batch.CreateBatchCommand();
                end.CommandText = "COMMIT";
                batch.BatchCommands.Add(end);
            }
            if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
            return;
        }
        await InsertOneByOneAsync(connection, transaction, statement, timeout, events, ct);
        if (commit is not null) await commit.CommitAsync(ct);
    }

    private static async Task InsertOneByOneAsync(DbConnection connection, DbTransaction transaction, Statement statement, int? timeout,
        IReadOnlyList<AccessEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            if (timeout is { } t) batch.Timeout = t;
            // EF's type mappings create parameters from a command; the parameters belong to no command until added.
            await using var factory = connection.CreateCommand();
            foreach (var e in events)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Sql;
                foreach (var column in statement.Columns) command.Parameters.Add(ParameterOf(factory, column, e));
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = statement.Sql;
        if (timeout is { } s) insert.CommandTimeout = s;
        foreach (var e in events)
        {
            insert.Parameters.Clear();
            foreach (var column in statement.Columns) insert.Parameters.Add(ParameterOf(insert, column, e));
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbParameter ParameterOf(DbCommand factory, (IProperty Property, RelationalTypeMapping Mapping, string Name) column, AccessEvent e) =>
        column.Mapping.CreateParameter(factory, column.Name, column.Property.GetGetter().GetClrValueUsingContainingEntity(e), column.Property.IsNullable);

    /// <summary>
    /// One column's values of every event as one typed array (its provider type, nullable where the column is), each value
    /// converted by the column's EF converter as EF's own parameter would convert it (enums to their names): Npgsql sends
    /// it as an array of the element's type (uuid[], text[], timestamptz[], …).
    /// </summary>
    private static DbParameter ArrayParameterOf(DbBatchCommand command, (IProperty Property, RelationalTypeMapping Mapping, string Name) column,
        IReadOnlyList<AccessEvent> events)
    {
        var converter = column.Mapping.Converter;
        var element = converter?.ProviderClrType ?? column.Mapping.ClrType;
        element = Nullable.GetUnderlyingType(element) ?? element;
        if (element.IsValueType && column.Property.IsNullable) element = typeof(Nullable<>).MakeGenericType(element);
        var values = Array.CreateInstance(element, events.Count);
        var getter = column.Property.GetGetter();
        for (var i = 0; i < events.Count; i++)
        {
            var value = getter.GetClrValueUsingContainingEntity(events[i]);
            values.SetValue(value is null || converter is null ? value : converter.ConvertToProvider(value), i);
        }
        var parameter = command.CreateParameter();
        parameter.Value = values;
        return parameter;
    }

    /// <summary>
    /// The INSERT of the events, from the model: on PostgreSQL of all of them from the columns' arrays, elsewhere of one.
    /// PostgreSQL's placeholders are positional ($1, unnamed parameters), which
    /// Npgsql sends as they are; the others are named the way EF names them.
    /// </summary>
    private static Statement StatementOf(SspfDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(AccessEvent))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var positional = db.Database.IsNpgsql();
        var columns = entity.GetProperties().Select((p, i) => (Property: p, Mapping: p.GetRelationalTypeMapping(),
            Name: positional ? "" : "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var placeholders = string.Join(", ", columns.Select((c, i) => positional ? "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : sql.GenerateParameterNamePlaceholder(c.Name)));
        return new Statement(
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) " +
            (positional ? $"SELECT * FROM unnest({placeholders})" : $"VALUES ({placeholders})"),
            columns, Arrays: positional);
    }
}
