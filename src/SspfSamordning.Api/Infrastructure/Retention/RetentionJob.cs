using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Reminders;
using Hangfire;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Scheduling;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Infrastructure.Retention;

/// <summary>
/// Retention periods (<c>Retention:*</c>, domain.md "Retention"). A closed or declined case is erased <see cref="CaseYears"/>
/// after its last entry, at the end of the calendar year in which that period ends (so always by the end of the
/// following year). A concern report that is finished (no investigation, or investigation closed) likewise after
/// <see cref="ConcernReportYears"/> — the default follows SoL 12 kap. 2 §: a report that led to no investigation is
/// kept five years. Access events are erased <see cref="AccessLogYears"/> after they were written; reminder deliveries
/// that are done (sent or failed for good) <see cref="DeliveryDays"/> after they were created.
/// </summary>
public sealed class RetentionOptions
{
    public int CaseYears { get; set; } = 5;
    public int ConcernReportYears { get; set; } = 5;
    public int AccessLogYears { get; set; } = 5;
    public int DeliveryDays { get; set; } = 90;
    public int IntervalHours { get; set; } = 24;

    /// <summary>Only access events written before this may be erased (and so lie below an anchor checkpoint).</summary>
    public DateTimeOffset AccessLogErasableBefore(DateTimeOffset now) => now.AddYears(-AccessLogYears);
}

public sealed record RetentionReport(IReadOnlyList<Guid> Cases, IReadOnlyList<Guid> ConcernReports, int AccessEvents, int Deliveries = 0);

/// <summary>
/// Gallring: erases what <see cref="RetentionOptions"/> says is due — cases and concern reports by crypto-shredding plus
/// row deletion (<see cref="CaseErasure"/>), old access events behind an anchor checkpoint so that the chain still
/// verifies. Each erasure is an Erasure access event with ids and counts only. Idempotent: a run after an interrupted
/// one finishes it.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(timeoutInSeconds: 60)]
public sealed class RetentionJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<RetentionOptions> options)
{
    /// <summary>A recurring Hangfire job every <c>Retention:IntervalHours</c> (hours that divide a day).</summary>
    public static void Schedule(IRecurringJobManager jobs, IConfiguration c) =>
        jobs.AddOrUpdate<RetentionJob>("retention", j => j.ExecuteAsync(CancellationToken.None),
            Jobs.Every(TimeSpan.FromHours(c.GetValue("Retention:IntervalHours", 24)), "Retention:IntervalHours"));

    /// <summary>Hangfire's entry point: returns nothing, so that the job's record keeps no ids of what was erased.</summary>
    [JobDisplayName("Gallring")]
    public async Task ExecuteAsync(CancellationToken ct) => await RunAsync(ct);

    public async Task<RetentionReport> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();

        var caseCutoff = StartOfYear(now, o.CaseYears);
        var cases = await db.Cases.AsNoTracking().Where(Case.EndedRule)
            .Where(c => c.OpenedAt < caseCutoff
                && (c.ClosedAt == null || c.ClosedAt < caseCutoff)
                && !db.Set<TransitionEvent>().Any(t => EF.Property<Guid?>(t, Aggregates.CaseId) == c.Id && t.At >= caseCutoff)
                && !db.AccessEvents.Any(e => e.CaseId == c.Id && e.At >= caseCutoff
                    && (e.Action == AuditAction.Create || e.Action == AuditAction.Change || e.Action == AuditAction.Transition)))
            .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        foreach (var id in cases) await CaseErasure.EraseAsync(db, id, ct);

        var reportCutoff = StartOfYear(now, o.ConcernReportYears);
        var reports = await db.ConcernReports.AsNoTracking()
            .Where(r => (r.State == ConcernReportState.NoInvestigation || r.State == ConcernReportState.InvestigationClosed) && r.ReceivedAt < reportCutoff
                && !db.Set<TransitionEvent>().Any(t => EF.Property<Guid?>(t, Aggregates.ConcernReportId) == r.Id && t.At >= reportCutoff))
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
        foreach (var id in reports) await CaseErasure.EraseConcernReportAsync(db, id, ct);

        // Done deliveries: the outbox's record of what was sent (a case number and a task) is not kept for ever.
        var deliveryCutoff = now.AddDays(-o.DeliveryDays);
        var deliveries = await db.Set<ReminderDelivery>().Where(d => d.State != DeliveryState.Pending && d.CreatedAt < deliveryCutoff).ExecuteDeleteAsync(ct);

        var events = await EraseAccessEventsAsync(db, o.AccessLogErasableBefore(now), now, ct);
        return new RetentionReport(cases, reports, events, deliveries);
    }

    /// <summary>January 1st (UTC) of the year <paramref name="years"/> before now: what was last entered before it is due.</summary>
    private static DateTimeOffset StartOfYear(DateTimeOffset now, int years) => new(now.UtcDateTime.Year - years, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Erases the oldest access events, written before <paramref name="before"/>, under every stripe's append lock (in
    /// ascending order, as appends take them), stripe by stripe: the Erasure event is appended first, then per stripe an
    /// anchor checkpoint records the hash of the last erased event — the previous hash of the first event kept — and the
    /// events up to it are deleted. A stripe's newest event is never erased (the next append to it chains onto it), so
    /// each stripe keeps at least one event, its head: at most <see cref="AuditChain.Stripes"/> events (ids, no content)
    /// outlive the retention age, until their stripe moves on. On PostgreSQL and SQL Server the application role may
    /// neither DELETE access events nor write anchors: it calls sspf_erase_access_events (db/roles-postgres.sql,
    /// db/roles-sqlserver.sql), which writes the anchor itself and refuses events younger than the owner's retention age by
    /// the database's clock. SQLite has no roles: the application does both, and the verifier is the control.
    /// </summary>
    private static async Task<int> EraseAccessEventsAsync(SspfDbContext db, DateTimeOffset before, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var heads = await AuditChain.LockAndReadHeadsAsync(db, AuditChain.AllStripes, ct);
        var plan = new List<(short Stripe, long Through, int Count)>();
        foreach (var (stripe, (head, _)) in heads.Where(h => h.Value.Sequence > 0).OrderBy(h => h.Key))
        {
            var firstKept = await db.AccessEvents.Where(e => e.Stripe == stripe && e.At >= before).MinAsync(e => (long?)e.Sequence, ct);
            var through = Math.Min(firstKept ?? head, head) - 1;
            var count = await db.AccessEvents.CountAsync(e => e.Stripe == stripe && e.Sequence <= through, ct);
            if (count > 0) plan.Add((stripe, through, count));
        }
        if (plan.Count == 0) return 0;

        var total = plan.Sum(p => p.Count);
        var purpose = $"Retention: {total} events through " + string.Join(' ', plan.Select(p => $"{p.Stripe}:{p.Through}"));
        db.AccessEvents.Add(db.Audit.NewEvent(AuditAction.Erasure, entityType: nameof(AccessEvent),
            purpose: purpose.Length <= 256 ? purpose : $"Retention: {total} events in {plan.Count} stripes"));
        await db.SaveChangesAsync(ct);
        var erased = 0;
        var erase = SqlDialect.Of(db.Database).EraseAccessEvents;
        foreach (var (stripe, through, _) in plan)
        {
            if (erase is not null)
            {
                erased += (int)(await db.Database.SqlQueryRaw<long>(erase, stripe, through).ToListAsync(ct)).Single();
                continue;
            }
            var last = await db.AccessEvents.Where(e => e.Stripe == stripe && e.Sequence == through).Select(e => e.Hash).SingleAsync(ct);
            db.AuditCheckpoints.Add(new AuditCheckpoint { Stripe = stripe, Sequence = through, Hash = last, At = AccessEvent.Instant(now), Kind = CheckpointKind.Anchor });
            await db.SaveChangesAsync(ct);
            erased += await db.AccessEvents.Where(e => e.Stripe == stripe && e.Sequence <= through).ExecuteDeleteAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return erased;
    }
}
