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
/// change tracker: one parameterized single-row INSERT per event, all of them in one round trip (a <see cref="DbBatch"/>)
/// where the provider batches (PostgreSQL, SQL Server), else one prepared command run per event (SQLite, in process).
/// </summary>
/// <remarks>
/// Profiled (round five): tracking, snapshotting and EF's update pipeline cost about a fifth of a case list's API CPU and
/// most of its allocations (one event per listed case). The statement is the same for every event — one text, prepared
/// once by Npgsql's automatic preparation; a multi-row INSERT would be a new text per row count. Table, columns and each
/// column's parameter come from EF's model and type mappings, so every value is stored exactly as EF stores it (SQLite's
/// ticks and text GUIDs, enum names, SQL Server's sizes): reads, ordering and the verifier see no difference.
/// </remarks>
internal static class AccessEventRows
{
    private sealed record Statement(string Sql, IReadOnlyList<(IProperty Property, RelationalTypeMapping Mapping, string Name)> Columns);

    private static readonly ConditionalWeakTable<IModel, Statement> Statements = [];

    public static async Task InsertAsync(SspfDbContext db, IReadOnlyList<AccessEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        var transaction = (db.Database.CurrentTransaction ?? throw new InvalidOperationException("Access events are inserted inside a transaction."))
            .GetDbTransaction();
        var connection = db.Database.GetDbConnection();
        var statement = Statements.GetValue(db.Model, _ => StatementOf(db));
        var timeout = db.Database.GetCommandTimeout();
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
    /// The INSERT of one event, from the model. PostgreSQL's placeholders are positional ($1, unnamed parameters), which
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
        var placeholders = columns.Select((c, i) => positional ? "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : sql.GenerateParameterNamePlaceholder(c.Name));
        return new Statement(
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", placeholders)})",
            columns);
    }
}
