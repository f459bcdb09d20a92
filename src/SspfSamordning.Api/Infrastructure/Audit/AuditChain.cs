using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// The hash chain of the access log: each entry's <see cref="AccessEvent.Hash"/> is SHA-256 over its canonical form,
/// which includes the previous entry's hash. Appends are serialized: on PostgreSQL by a transaction-scoped advisory
/// lock, on SQLite by the write transaction itself (EF begins SQLite transactions with BEGIN IMMEDIATE).
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>Key of the advisory lock that serializes appends on PostgreSQL (arbitrary, constant: "SSPFAUD1").</summary>
    public const long AppendLockKey = 0x5353_5046_4155_4431;

    /// <summary>All fields but <see cref="AccessEvent.Hash"/>, in a fixed order, as a JSON array.</summary>
    public static string Canonical(AccessEvent e) => JsonSerializer.Serialize(new object?[]
    {
        "v1", e.Id, e.Sequence, e.At.UtcTicks, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(),
        e.CaseId, e.EntityType, e.EntityId, e.Categories, e.Purpose, e.Decision.ToString(), e.CorrelationId, e.PreviousHash,
    });

    public static string ComputeHash(AccessEvent e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    /// <summary>
    /// Serializes with every append until the current transaction ends: on PostgreSQL the advisory lock; on SQLite the
    /// write transaction already is exclusive (EF begins it with BEGIN IMMEDIATE).
    /// </summary>
    internal static async Task LockAsync(SspfDbContext db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("The audit chain is locked inside a transaction.");
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AppendLockKey})", ct);
    }

    /// <summary>
    /// Links <paramref name="events"/> (not yet saved) to the head of the chain. Must run inside the transaction
    /// that saves them: the lock and the head read hold until it commits.
    /// </summary>
    internal static async Task LinkAsync(SspfDbContext db, IReadOnlyList<AccessEvent> events, CancellationToken ct)
    {
        await LockAsync(db, ct);
        var head = await db.Set<AccessEvent>().AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? Genesis;
        foreach (var e in events)
        {
            e.Sequence = ++sequence;
            e.PreviousHash = previous;
            e.Hash = previous = ComputeHash(e);
        }
    }
}
