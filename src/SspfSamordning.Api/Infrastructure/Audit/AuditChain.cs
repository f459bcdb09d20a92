using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// The hash chain of the access log: each entry's <see cref="AccessEvent.Hash"/> is SHA-256 over its canonical form,
/// which includes the previous entry's hash. Appends are serialized: on PostgreSQL by a transaction-scoped advisory
/// lock, on SQL Server by a transaction-owned application lock (sp_getapplock), on SQLite by the write transaction
/// itself (EF begins SQLite transactions with BEGIN IMMEDIATE). The lock's SQL is <see cref="SqlDialect.AccessLogAppendLock"/>.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>Key of the advisory lock that serializes appends on PostgreSQL (arbitrary, constant: "SSPFAUD1").</summary>
    public const long AppendLockKey = SqlDialect.PostgresAppendLockKey;

    /// <summary>All fields but <see cref="AccessEvent.Hash"/>, in a fixed order, as a JSON array.</summary>
    public static string Canonical(AccessEvent e) => JsonSerializer.Serialize(new object?[]
    {
        "v1", e.Id, e.Sequence, e.At.UtcTicks, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(),
        e.CaseId, e.EntityType, e.EntityId, e.Categories, e.Purpose, e.Decision.ToString(), e.CorrelationId, e.PreviousHash,
    });

    public static string ComputeHash(AccessEvent e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    /// <summary>
    /// Serializes with every append until the current transaction ends: on PostgreSQL the advisory lock, on SQL Server
    /// the application lock; on SQLite the write transaction already is exclusive (EF begins it with BEGIN IMMEDIATE).
    /// </summary>
    internal static async Task LockAsync(SspfDbContext db, CancellationToken ct)
    {
        TransactionOf(db);
        if (SqlDialect.Of(db.Database).AccessLogAppendLock is { } lockSql) await db.Database.ExecuteSqlRawAsync(lockSql, ct);
    }

    private static IDbContextTransaction TransactionOf(SspfDbContext db) =>
        db.Database.CurrentTransaction ?? throw new InvalidOperationException("The audit chain is locked inside a transaction.");

    /// <summary>
    /// Links <paramref name="events"/> (not yet saved) to the head of the chain. Must run inside the transaction
    /// that saves them: the lock and the head read hold until it commits.
    /// </summary>
    internal static async Task LinkAsync(SspfDbContext db, IReadOnlyList<AccessEvent> events, CancellationToken ct)
    {
        var (sequence, previous) = await LockAndReadHeadAsync(db, ct);
        foreach (var e in events)
        {
            e.Sequence = ++sequence;
            e.PreviousHash = previous;
            e.Hash = previous = ComputeHash(e);
        }
    }

    /// <summary>
    /// Takes the lock (<see cref="LockAsync"/>), then reads the chain's head (sequence 0 and the genesis hash when the log is empty). On PostgreSQL
    /// both go in one round trip, as one batch: the lock is held from there to the commit, and every round trip inside
    /// it adds to the time appends wait for each other. Each statement of the batch takes its own snapshot (read
    /// committed), so the head is read after the lock is granted and sees every append committed before it. Elsewhere the
    /// lock, then the head, in two round trips.
    /// </summary>
    internal static async Task<(long Sequence, string Hash)> LockAndReadHeadAsync(SspfDbContext db, CancellationToken ct)
    {
        var transaction = TransactionOf(db);
        if (db.Database.IsNpgsql())
        {
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await using var batch = new Npgsql.NpgsqlBatch(connection, (Npgsql.NpgsqlTransaction)transaction.GetDbTransaction())
            {
                BatchCommands =
                {
                    new Npgsql.NpgsqlBatchCommand(SqlDialect.Postgres.AccessLogAppendLock!),
                    new Npgsql.NpgsqlBatchCommand("""SELECT "Sequence", "Hash" FROM "AccessEvents" ORDER BY "Sequence" DESC LIMIT 1"""),
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, Genesis);
        }
        await LockAsync(db, ct);
        var head = await db.Set<AccessEvent>().AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        return head is null ? (0, Genesis) : (head.Sequence, head.Hash);
    }
}
