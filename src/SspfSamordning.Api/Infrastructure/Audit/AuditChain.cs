using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
    /// given, and inserts them in the current transaction; with <paramref name="commit"/> (the current transaction) commits
    /// it too, in the INSERT's round trip on PostgreSQL (<see cref="AccessEventRows.InsertAsync"/>).
    /// </summary>
    /// <remarks>
    /// On PostgreSQL, when the append commits, in one round trip (issue 22, round thirteen): the app remembers each
    /// stripe's head as its last committed append left it (<see cref="KnownHeads"/>), links the events to it before any
    /// round trip, and sends one batch — a savepoint, each stripe's lock (ascending) and a check that its head is still
    /// the one remembered, the INSERT, the COMMIT. The database is the judge: when anyone else appended meanwhile (another
    /// process, an append in a transaction committed later), the check fails — and were the check's snapshot older than
    /// the lock, the (Stripe, Sequence) unique index would refuse the INSERT —, the batch rolls back to the savepoint (EF's
    /// save before it is kept), the stripes are forgotten, and the append takes the path of two round trips: the locks and
    /// heads read, then the INSERT and the COMMIT. A wrong memory costs a round trip, never the chain. Appends of this
    /// app to one stripe wait for each other in the process (a gate per stripe, ascending, held from the link to the
    /// batch's return), or each would link to the same head and all but one fall back. An append whose transaction is
    /// committed later by its caller — or that already holds stripes' locks, which a gate's holder may be waiting for —
    /// takes the path of two round trips, without the gates, and forgets its stripes: the head it leaves is not known
    /// to be committed. Only an append whose batch's COMMIT returned advances the memory; any failure forgets.
    /// </remarks>
    internal static async Task AppendAsync(SspfDbContext db, IReadOnlyList<AccessEvent> events, IDbContextTransaction? commit, CancellationToken ct)
    {
        foreach (var e in events) e.Stripe = StripeOf(e);
        var stripes = events.Select(e => e.Stripe).Distinct().Order().ToArray();
        var known = db.Database.IsNpgsql() ? KnownHeads.Of(db) : null;
        if (known is null || commit is null || stripes.Length == 0 || HoldingLocks.TryGetValue(TransactionOf(db), out _))
        {
            known?.Forget(stripes);
            await LinkAsync(db, events, ct);
            await AccessEventRows.InsertAsync(db, events, commit, ct);
            return;
        }
        await known.EnterAsync(stripes, ct);
        try
        {
            if (known.TryGet(stripes) is { } heads)
            {
                var expected = heads.ToArray();
                Link(events, heads);
                try
                {
                    await AccessEventRows.InsertAsync(db, events, commit, ct, batch => AddHeadChecks(db, batch, expected));
                    known.Remember(events);
                    return;
                }
                catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.DivisionByZero or Npgsql.PostgresErrorCodes.UniqueViolation)
                {
                    known.Forget(stripes);
                    await db.Database.ExecuteSqlRawAsync(RollbackToHeadCheck, ct);
                }
            }
            await LinkAsync(db, events, ct);
            await AccessEventRows.InsertAsync(db, events, commit, ct);
            known.Remember(events);
        }
        catch
        {
            known.Forget(stripes);
            throw;
        }
        finally
        {
            known.Exit(stripes);
        }
    }

    private const string RollbackToHeadCheck = "ROLLBACK TO SAVEPOINT sspf_chain_head";

    /// <summary>
    /// The batch's start: a savepoint, then per stripe (ascending) its lock and a statement that fails (division by zero)
    /// unless the stripe's head, read after the lock was granted (each statement of a batch takes its own snapshot in read
    /// committed), is the expected one.
    /// </summary>
    private static void AddHeadChecks(SspfDbContext db, System.Data.Common.DbBatch batch, KeyValuePair<short, (long Sequence, string Hash)>[] expected)
    {
        var lockSql = SqlDialect.Of(db.Database).AccessLogAppendLock!;
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("SAVEPOINT sspf_chain_head"));
        foreach (var (s, (sequence, hash)) in expected.OrderBy(h => h.Key))
        {
            batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(string.Format(CultureInfo.InvariantCulture, lockSql, s)));
            var check = new Npgsql.NpgsqlBatchCommand($"SELECT 1 / count(*) FROM ({HeadSql(s)}) head WHERE \"Sequence\" = $1 AND \"Hash\" = $2");
            check.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sequence });
            check.Parameters.Add(new Npgsql.NpgsqlParameter { Value = hash });
            batch.BatchCommands.Add(check);
        }
    }

    private static string HeadSql(short stripe) => string.Create(CultureInfo.InvariantCulture,
        $"""SELECT "Sequence", "Hash" FROM "AccessEvents" WHERE "Stripe" = {stripe} ORDER BY "Sequence" DESC LIMIT 1""");

    /// <summary>
    /// Links <paramref name="events"/> (not yet saved) to the heads of their stripes, each stripe's events in the order
    /// given. Must run inside the transaction that saves them: the locks and the head reads hold until it commits.
    /// </summary>
    internal static async Task LinkAsync(SspfDbContext db, IReadOnlyList<AccessEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        foreach (var e in events) e.Stripe = StripeOf(e);
        var stripes = events.Select(e => e.Stripe).Distinct().Order().ToList();
        Link(events, await LockAndReadHeadsAsync(db, stripes, ct));
    }

    private static void Link(IReadOnlyList<AccessEvent> events, Dictionary<short, (long Sequence, string Hash)> heads)
    {
        foreach (var e in events)
        {
            var (sequence, previous) = heads[e.Stripe];
            e.Sequence = sequence + 1;
            e.PreviousHash = previous;
            e.Hash = ComputeHash(e);
            heads[e.Stripe] = (e.Sequence, e.Hash);
        }
    }

    /// <summary>The transactions that took stripes' locks outside the gates (PostgreSQL): their appends stay outside them.</summary>
    private static readonly ConditionalWeakTable<IDbContextTransaction, object> HoldingLocks = [];

    /// <summary>
    /// Each stripe's head as this app's last committed append to it left it; and the gates that serialize
    /// this process's appends to a stripe. A hint, checked by the database on every use (<see cref="AppendAsync"/>).
    /// </summary>
    private sealed class KnownHeads
    {
        private sealed record Head(long Sequence, string Hash);

        private static readonly ConditionalWeakTable<IServiceProvider, KnownHeads> Apps = [];
        private readonly SemaphoreSlim[] gates = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
        private readonly Head?[] heads = new Head?[Stripes];

        /// <summary>
        /// The app's (one per application service provider: one database, and in the tests one per app instance, as each
        /// instance of a scaled-out deployment has its own); none for a context made outside an app.
        /// </summary>
        public static KnownHeads? Of(SspfDbContext db) =>
            db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider is { } app
                ? Apps.GetValue(app, _ => new KnownHeads())
                : null;

        /// <summary>Enters the stripes' gates in ascending order (as their locks are taken); on failure leaves those entered.</summary>
        public async Task EnterAsync(short[] stripes, CancellationToken ct)
        {
            var entered = 0;
            try
            {
                for (; entered < stripes.Length; entered++) await gates[stripes[entered]].WaitAsync(ct);
            }
            catch
            {
                for (var i = 0; i < entered; i++) gates[stripes[i]].Release();
                throw;
            }
        }

        public void Exit(short[] stripes)
        {
            foreach (var s in stripes) gates[s].Release();
        }

        /// <summary>Every one of the stripes' heads, or null when one is not known.</summary>
        public Dictionary<short, (long Sequence, string Hash)>? TryGet(short[] stripes)
        {
            var known = new Dictionary<short, (long, string)>(stripes.Length);
            foreach (var s in stripes)
            {
                if (Volatile.Read(ref heads[s]) is not { } head) return null;
                known[s] = (head.Sequence, head.Hash);
            }
            return known;
        }

        /// <summary>After the append's COMMIT returned: each stripe's last event is its head.</summary>
        public void Remember(IReadOnlyList<AccessEvent> events)
        {
            foreach (var e in events) Volatile.Write(ref heads[e.Stripe], new Head(e.Sequence, e.Hash));
        }

        public void Forget(short[] stripes)
        {
            foreach (var s in stripes) Volatile.Write(ref heads[s], null);
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
            HoldingLocks.AddOrUpdate(transaction, HoldingLocks);
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await using var batch = new Npgsql.NpgsqlBatch(connection, (Npgsql.NpgsqlTransaction)transaction.GetDbTransaction());
            foreach (var s in ordered)
            {
                // The stripe is a small integer of ours, written into the text (one plan per stripe, no parameter to bind).
                batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(string.Format(CultureInfo.InvariantCulture, lockSql!, s)));
                batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(HeadSql(s)));
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
