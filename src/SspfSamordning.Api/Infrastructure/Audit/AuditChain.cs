using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// The hash chains of the access log: <see cref="Stripes"/> chains ("stripes"), each one ordered by its own
/// <see cref="AccessEvent.Sequence"/>; each entry's <see cref="AccessEvent.Hash"/> is SHA-256 over its canonical form,
/// which includes the previous entry's hash in its stripe. Appends to one stripe are serialized — on PostgreSQL by a
/// transaction-scoped advisory lock per stripe, on SQL Server by a transaction-owned application lock per stripe
/// (sp_getapplock), on SQLite by the write transaction itself (EF begins SQLite transactions with BEGIN IMMEDIATE) — and
/// appends to different stripes run concurrently, so that audited changes of different cases no longer wait for each
/// other's commit flush. A save whose events fall in several stripes locks them in ascending order (no deadlock between
/// two such saves). The lock's SQL is <see cref="SqlDialect.AccessLogAppendLock"/>.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// How many chains the log has. 16: at 50 concurrent audited saves about three share a stripe, so the lock-bound rate
    /// is about 16 flushes in parallel instead of one — more than two cores' CPU can use — while a head checkpoint (all N
    /// locks, N rows), the verifier (N walks) and gallring (N anchors) stay cheap. Changing it re-stripes new events only
    /// (every stripe verifies on its own); the stripes of stored events never change.
    /// </summary>
    public const int Stripes = 16;

    /// <summary>Every stripe, ascending: the lock order of a head checkpoint and of gallring.</summary>
    public static IReadOnlyList<short> AllStripes { get; } = Enumerable.Range(0, Stripes).Select(s => (short)s).ToArray();

    /// <summary>Key of the advisory lock of stripe 0 on PostgreSQL (arbitrary, constant: "SSPFAUD1"); stripe s uses this + s.</summary>
    public const long AppendLockKey = SqlDialect.PostgresAppendLockKey;

    /// <summary>
    /// The stripe of an event: from its case (one case's events stay in one ordered chain), else from its actor (one
    /// account's sign-ins and refusals stay in one chain), else 0 (the system's). Stable for ever: the low four bits of the
    /// id's last byte (random in version 4 and 7 GUIDs alike), not a runtime hash code.
    /// </summary>
    public static short StripeOf(AccessEvent e) => e.CaseId is { } c ? StripeOf(c) : e.ActorUserId is { } u ? StripeOf(u) : (short)0;

    public static short StripeOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        return (short)(bytes[15] % Stripes);
    }

    /// <summary>
    /// Writes the event's canonical form to <paramref name="output"/>: all fields but <see cref="AccessEvent.Hash"/>, in a
    /// fixed order, as a JSON array in UTF-8 — byte for byte what <c>JsonSerializer.Serialize(new object?[] { … })</c> with
    /// the default options wrote when every stored hash was made (default encoder, so <c>&lt;&gt;&amp;'+</c>, non-ASCII and
    /// control characters are escaped as it escaped them; <c>AuditChainTests</c> keeps that form as the reference). An event
    /// of stripe 0 has the form the log had before it was striped ("v1", no stripe), so every hash written then still
    /// verifies; any other stripe is part of the hashed content ("v2"), so an event moved to another stripe no longer
    /// matches its hash.
    /// </summary>
    internal static void WriteCanonical(AccessEvent e, Utf8JsonWriter json)
    {
        json.WriteStartArray();
        if (e.Stripe == 0) json.WriteStringValue("v1");
        else
        {
            json.WriteStringValue("v2");
            json.WriteNumberValue(e.Stripe);
        }
        json.WriteStringValue(e.Id);
        json.WriteNumberValue(e.Sequence);
        json.WriteNumberValue(e.At.UtcTicks);
        WriteValue(json, e.ActorUserId);
        json.WriteStringValue(e.Roles);
        json.WriteStringValue(e.Party); // a null string is written as null
        WriteValue(json, e.MunicipalityId);
        json.WriteStringValue(e.Action.ToString());
        WriteValue(json, e.CaseId);
        json.WriteStringValue(e.EntityType);
        WriteValue(json, e.EntityId);
        json.WriteStringValue(e.Categories);
        json.WriteStringValue(e.Purpose);
        json.WriteStringValue(e.Decision.ToString());
        json.WriteStringValue(e.CorrelationId);
        json.WriteStringValue(e.PreviousHash);
        json.WriteEndArray();
        json.Flush();
    }

    private static void WriteValue(Utf8JsonWriter json, Guid? id)
    {
        if (id is { } value) json.WriteStringValue(value);
        else json.WriteNullValue();
    }

    /// <summary>
    /// SHA-256 over the event's canonical form (<see cref="WriteCanonical"/>), lower-case hex. The form is written straight
    /// into this thread's reused buffer and hashed there: no boxed fields, no intermediate string, no second array
    /// (every audited request hashes each of its events — the list 25 — and the verifier every stored event).
    /// </summary>
    public static string ComputeHash(AccessEvent e)
    {
        var (buffer, json) = canonicalWriter ??= NewCanonicalWriter();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        WriteCanonical(e, json);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    // One per thread: ComputeHash does not await between writing and hashing, so no other use can come in between.
    [ThreadStatic] private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? canonicalWriter;

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewCanonicalWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }

    private static IDbContextTransaction TransactionOf(SspfDbContext db) =>
        db.Database.CurrentTransaction ?? throw new InvalidOperationException("The audit chain is locked inside a transaction.");

    /// <summary>
    /// Links <paramref name="events"/> (not yet saved) to the heads of their stripes, each stripe's events in the order
    /// given. Must run inside the transaction that saves them: the locks and the head reads hold until it commits.
    /// </summary>
    internal static async Task LinkAsync(SspfDbContext db, IReadOnlyList<AccessEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        foreach (var e in events) e.Stripe = StripeOf(e);
        var stripes = events.Select(e => e.Stripe).Distinct().Order().ToList();
        var heads = await LockAndReadHeadsAsync(db, stripes, ct);
        foreach (var e in events)
        {
            var (sequence, previous) = heads[e.Stripe];
            e.Sequence = sequence + 1;
            e.PreviousHash = previous;
            e.Hash = ComputeHash(e);
            heads[e.Stripe] = (e.Sequence, e.Hash);
        }
    }

    /// <summary>
    /// Takes the lock of each of <paramref name="stripes"/> in ascending order, and reads each one's head (sequence 0 and
    /// the genesis hash when the stripe is empty). The locks hold until the transaction ends. On PostgreSQL all of it goes
    /// in one round trip, as one batch — lock, head, next lock, next head —: the locks are held from there to the commit,
    /// and every round trip inside them adds to the time appends wait for each other. Each statement of the batch takes its
    /// own snapshot (read committed), so a head is read after its lock is granted and sees every append committed before
    /// it. Elsewhere each lock, then its head, in two round trips per stripe.
    /// </summary>
    internal static async Task<Dictionary<short, (long Sequence, string Hash)>> LockAndReadHeadsAsync(
        SspfDbContext db, IEnumerable<short> stripes, CancellationToken ct)
    {
        var transaction = TransactionOf(db);
        var ordered = stripes.Distinct().Order().ToList();
        var heads = new Dictionary<short, (long, string)>(ordered.Count);
        var lockSql = SqlDialect.Of(db.Database).AccessLogAppendLock;
        if (db.Database.IsNpgsql())
        {
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await using var batch = new Npgsql.NpgsqlBatch(connection, (Npgsql.NpgsqlTransaction)transaction.GetDbTransaction());
            foreach (var s in ordered)
            {
                // The stripe is a small integer of ours, written into the text (one plan per stripe, no parameter to bind).
                batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(string.Format(CultureInfo.InvariantCulture, lockSql!, s)));
                batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(string.Create(CultureInfo.InvariantCulture,
                    $"""SELECT "Sequence", "Hash" FROM "AccessEvents" WHERE "Stripe" = {s} ORDER BY "Sequence" DESC LIMIT 1""")));
            }
            await using var reader = await batch.ExecuteReaderAsync(ct);
            for (var i = 0; i < ordered.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync(ct);
                await reader.NextResultAsync(ct);
                heads[ordered[i]] = await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, Genesis);
            }
            return heads;
        }
        foreach (var s in ordered)
        {
            if (lockSql is not null) await db.Database.ExecuteSqlRawAsync(lockSql, [s], ct);
            var head = await db.Set<AccessEvent>().AsNoTracking().Where(e => e.Stripe == s).OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(ct);
            heads[s] = head is null ? (0, Genesis) : (head.Sequence, head.Hash);
        }
        return heads;
    }
}
