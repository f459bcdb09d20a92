using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.ConcernReports;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>
/// Makes deadlines act, safely from any number of instances. (1) Claims due deadline steps in a transaction —
/// PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, SQL Server <c>UPDLOCK, READPAST, ROWLOCK</c> (<see cref="SqlDialect"/>), so
/// instances take disjoint rows without waiting; SQLite's single writer
/// (the transaction begins IMMEDIATE) — marks them dispatched, applies the passing deadline's transition (follow-up →
/// Overdue, consent → Expired) and writes the outbox: an in-app notification, delivered at once, and a pending e-mail.
/// A crash before the commit leaves nothing behind; after it, nothing is claimed twice. (2) After each commit, enqueues one
/// Hangfire job per new e-mail delivery (<see cref="EmailDeliveryJob"/>, which Hangfire retries); and gives a new job to any
/// pending delivery whose job was lost (<see cref="ResumeLostEmailsAsync"/>).
/// </summary>
public sealed class ReminderDispatcher(
    SspfDbContext db, TimeProvider time, IOptions<ReminderOptions> options, EmailSender email, IBackgroundJobClient jobs, ILogger<ReminderDispatcher> logger)
{
    private ReminderOptions Options => options.Value;
    private SqlDialect Sql => SqlDialect.Of(db.Database);

    public sealed record Result(int Steps, int EmailsEnqueued, int EmailsResumed);

    public async Task<Result> RunAsync(CancellationToken ct)
    {
        var (steps, emails) = await DispatchDueAsync(ct);
        var resumed = await ResumeLostEmailsAsync(ct);
        return new Result(steps, emails, resumed);
    }

    /// <summary>
    /// Claims and dispatches due steps batch by batch until none is left, each batch's e-mails enqueued as jobs right after
    /// its commit; returns how many steps went out and how many e-mails were enqueued.
    /// </summary>
    public async Task<(int Steps, int Emails)> DispatchDueAsync(CancellationToken ct)
    {
        int totalSteps = 0, totalEmails = 0;
        while (true)
        {
            var (claimed, steps, emails) = await DispatchBatchAsync(ct);
            Enqueue(emails);
            totalSteps += steps;
            totalEmails += emails.Count;
            if (claimed < Options.BatchSize) return (totalSteps, totalEmails);
        }
    }

    private async Task<(int Claimed, int Steps, List<Guid> Emails)> DispatchBatchAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var ids = await ClaimDueDeadlinesAsync(now, ct);
        var emails = new List<Guid>();
        if (ids.Count == 0) return (0, 0, emails);

        var claimed = await db.Set<Deadline>().Where(d => ids.Contains(d.Id))
            .Select(d => new { Deadline = d, CaseId = EF.Property<Guid?>(d, Aggregates.CaseId), ReportId = EF.Property<Guid?>(d, Aggregates.ConcernReportId) })
            .ToListAsync(ct);
        var caseIds = claimed.Where(c => c.CaseId is not null).Select(c => c.CaseId!.Value).Distinct().ToList();
        var caseNumbers = await db.Cases.Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.CaseNumber }).ToDictionaryAsync(c => c.Id, c => c.CaseNumber, ct);

        // Only a report deadline whose escalation is due now needs the unit's colleagues; a reminder goes to one person.
        var escalating = claimed.Where(c => c.ReportId is not null && c.Deadline.StepsDue(now, Options.CatchUpWindow).Contains(ReminderStep.Escalation));
        var colleagues = await EscalationColleaguesAsync(escalating.Select(c => c.Deadline), ct);

        var steps = 0;
        var passedCaseIds = new HashSet<Guid>();
        foreach (var row in claimed)
        {
            ct.ThrowIfCancellationRequested();
            var deadline = row.Deadline;
            var caseNumber = row.CaseId is { } caseId ? caseNumbers[caseId] : null;
            foreach (var step in deadline.StepsDue(now, Options.CatchUpWindow))
            {
                var text = ReminderText.For(deadline.Kind, step, caseNumber);
                // Decision 8: a concern report's escalation goes to every socialsekreterare active in the responsible
                // one's unit now (not only the colleague named when the report was filed, who may have left since).
                var recipients = step == ReminderStep.Escalation && row.ReportId is not null && colleagues[deadline.ResponsibleUserId].ToList() is { Count: > 0 } unit
                    ? unit
                    : [deadline.RecipientOf(step)];
                foreach (var recipient in recipients)
                {
                    db.Add(new Notification
                    {
                        Id = Guid.CreateVersion7(now), UserId = recipient, DeadlineId = deadline.Id, Step = step,
                        CaseId = row.CaseId, ConcernReportId = row.ReportId, Text = text, CreatedAt = now,
                    });
                    db.Add(Delivery(deadline, step, DeliveryChannel.InApp, recipient, text, now, DeliveryState.Sent));
                    if (email.Enabled)
                    {
                        var delivery = Delivery(deadline, step, DeliveryChannel.Email, recipient, text, now, DeliveryState.Pending);
                        db.Add(delivery);
                        emails.Add(delivery.Id);
                    }
                }
                deadline.MarkDispatched(step, now);
                if (step == ReminderStep.Escalation && deadline.PassingTransitionsWorkflow && row.CaseId is { } passed) passedCaseIds.Add(passed);
                steps++;
            }
        }

        if (passedCaseIds.Count > 0)
        {
            // The whole aggregate, so that its workflows' guards and effects (case → consent lost) see everything; its
            // data keys first, in one asynchronous query, as case reads do (else each case's decryption looks its key up synchronously).
            var passedCases = db.Cases.Where(c => passedCaseIds.Contains(c.Id));
            await KeyRings.Of(db).PreloadAsync(db, passedCases.Select(c => c.Id), ct);
            var cases = await CaseAccess.WithChildren(passedCases)
                .Include(c => c.Deadlines.Where(d => d.State == DeadlineState.Open))
                .ToListAsync(ct);
            foreach (var @case in cases) @case.AdvanceTime(now);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (ids.Count, steps, emails);
    }

    /// <summary>
    /// Per responsible social worker of the given escalating concern-report deadlines, the other socialsekreterare active in their
    /// unit (one query for the batch); empty for a unit of one, whose escalation goes to the deadline's own recipient.
    /// </summary>
    private async Task<ILookup<Guid, Guid>> EscalationColleaguesAsync(IEnumerable<Deadline> reportDeadlines, CancellationToken ct)
    {
        var responsible = reportDeadlines.Select(d => d.ResponsibleUserId).Distinct().ToList();
        if (responsible.Count == 0) return Array.Empty<Guid>().ToLookup(id => id);
        var pairs = await (
            from r in db.Users where responsible.Contains(r.Id)
            from colleague in db.SocialWorkers() where colleague.UnitId == r.UnitId && colleague.Id != r.Id
            select new { Responsible = r.Id, Colleague = colleague.Id }).ToListAsync(ct);
        return pairs.ToLookup(p => p.Responsible, p => p.Colleague);
    }

    private static ReminderDelivery Delivery(Deadline deadline, ReminderStep step, DeliveryChannel channel, Guid userId, string text, DateTimeOffset now, DeliveryState state) => new()
    {
        Id = Guid.CreateVersion7(now), DeadlineId = deadline.Id, Step = step, Channel = channel, UserId = userId, Text = text,
        State = state, Attempts = state == DeliveryState.Sent ? 1 : 0, CreatedAt = now, NextAttemptAt = now,
        SentAt = state == DeliveryState.Sent ? now : null,
    };

    private Task<List<Guid>> ClaimDueDeadlinesAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (Sql.ClaimDueDeadlines is not { } claim)
            return db.Set<Deadline>().Where(Deadline.IsDue(now, Options.CatchUpWindow))
                .OrderBy(d => d.DueAt).Select(d => d.Id).Take(Options.BatchSize).ToListAsync(ct);
        // Deadline.IsDue, with the row lock that lets several instances share the work.
        return db.Database.SqlQueryRaw<Guid>(claim, now.ToUniversalTime(), (now - Options.CatchUpWindow).ToUniversalTime(), Options.BatchSize)
            .ToListAsync(ct);
    }

    /// <summary>
    /// Backstop for e-mail jobs that were lost — the process stopped between its commit and the enqueueing, or in-memory job
    /// storage went with a restart: pending e-mail deliveries whose next attempt has been due for longer than
    /// <see cref="ReminderOptions.EmailClaim"/> get a new job (claimed like deadlines, so one instance takes each).
    /// </summary>
    public async Task<int> ResumeLostEmailsAsync(CancellationToken ct)
    {
        if (!email.Enabled) return 0;
        var total = 0;
        while (true)
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();
            var lostBefore = now - Options.EmailClaim;
            List<Guid> ids;
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                ids = Sql.ClaimLostEmails is { } claim
                    ? await db.Database.SqlQueryRaw<Guid>(claim, lostBefore.ToUniversalTime(), Options.BatchSize).ToListAsync(ct)
                    : await db.Set<ReminderDelivery>().Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= lostBefore)
                        .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(Options.BatchSize).ToListAsync(ct);
                if (ids.Count == 0) return total;
                await db.Set<ReminderDelivery>().Where(d => ids.Contains(d.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), ct);
                await transaction.CommitAsync(ct);
            }
            logger.LogWarning("{Count} e-mail deliveries had no job any more; enqueued again.", ids.Count);
            Enqueue(ids);
            total += ids.Count;
            if (ids.Count < Options.BatchSize) return total;
        }
    }

    /// <summary>One Hangfire job per e-mail delivery; its argument is the id alone.</summary>
    private void Enqueue(List<Guid> deliveryIds)
    {
        foreach (var id in deliveryIds) jobs.Enqueue<EmailDeliveryJob>(j => j.SendAsync(id, CancellationToken.None));
    }
}
