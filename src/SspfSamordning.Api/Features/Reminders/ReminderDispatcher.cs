using System.Net.Mail;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>
/// Makes deadlines act, safely from any number of instances. (1) Claims due deadline steps in a transaction —
/// PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, so instances take disjoint rows without waiting; SQLite's single writer
/// (the transaction begins IMMEDIATE) — marks them dispatched, applies the passing deadline's transition (follow-up →
/// Overdue, consent → Expired) and writes the outbox: an in-app notification, delivered at once, and a pending e-mail.
/// A crash before the commit leaves nothing behind; after it, nothing is claimed twice. (2) Sends pending e-mails,
/// each claimed for <see cref="ReminderOptions.EmailClaim"/> and marked sent right after the SMTP server accepted it.
/// </summary>
public sealed class ReminderDispatcher(
    SspfDbContext db, TimeProvider time, IOptions<ReminderOptions> options, EmailSender email, ILogger<ReminderDispatcher> logger)
{
    private ReminderOptions Options => options.Value;
    private bool Postgres => db.Database.IsNpgsql();

    public sealed record Result(int Steps, int EmailsSent, int EmailsFailed);

    public async Task<Result> RunAsync(CancellationToken ct)
    {
        var steps = await DispatchDueAsync(ct);
        var (sent, failed) = await SendEmailsAsync(ct);
        return new Result(steps, sent, failed);
    }

    /// <summary>Claims and dispatches due steps batch by batch until none is left; returns how many steps went out.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var (claimed, steps) = await DispatchBatchAsync(ct);
            total += steps;
            if (claimed < Options.BatchSize) return total;
        }
    }

    private async Task<(int Claimed, int Steps)> DispatchBatchAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var ids = await ClaimDueDeadlinesAsync(now, ct);
        if (ids.Count == 0) return (0, 0);

        var claimed = await db.Set<Deadline>().Where(d => ids.Contains(d.Id))
            .Select(d => new { Deadline = d, CaseId = EF.Property<Guid?>(d, Aggregates.CaseId), ReportId = EF.Property<Guid?>(d, Aggregates.ConcernReportId) })
            .ToListAsync(ct);
        var caseIds = claimed.Where(c => c.CaseId is not null).Select(c => c.CaseId!.Value).Distinct().ToList();
        var caseNumbers = await db.Cases.Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.CaseNumber }).ToDictionaryAsync(c => c.Id, c => c.CaseNumber, ct);

        var steps = 0;
        var passedCaseIds = new HashSet<Guid>();
        foreach (var row in claimed)
        {
            ct.ThrowIfCancellationRequested();
            var deadline = row.Deadline;
            var caseNumber = row.CaseId is { } caseId ? caseNumbers[caseId] : null;
            foreach (var step in deadline.StepsDue(now, Options.CatchUpWindow))
            {
                var recipient = deadline.RecipientOf(step);
                var text = ReminderText.For(deadline.Kind, step, caseNumber);
                db.Add(new Notification
                {
                    Id = Guid.CreateVersion7(now), UserId = recipient, DeadlineId = deadline.Id, Step = step,
                    CaseId = row.CaseId, ConcernReportId = row.ReportId, Text = text, CreatedAt = now,
                });
                db.Add(Delivery(deadline, step, DeliveryChannel.InApp, recipient, text, now, DeliveryState.Sent));
                if (email.Enabled) db.Add(Delivery(deadline, step, DeliveryChannel.Email, recipient, text, now, DeliveryState.Pending));
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
        return (ids.Count, steps);
    }

    private static ReminderDelivery Delivery(Deadline deadline, ReminderStep step, DeliveryChannel channel, Guid userId, string text, DateTimeOffset now, DeliveryState state) => new()
    {
        Id = Guid.CreateVersion7(now), DeadlineId = deadline.Id, Step = step, Channel = channel, UserId = userId, Text = text,
        State = state, Attempts = state == DeliveryState.Sent ? 1 : 0, CreatedAt = now, NextAttemptAt = now,
        SentAt = state == DeliveryState.Sent ? now : null,
    };

    private Task<List<Guid>> ClaimDueDeadlinesAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (!Postgres)
            return db.Set<Deadline>().Where(Deadline.IsDue(now, Options.CatchUpWindow))
                .OrderBy(d => d.DueAt).Select(d => d.Id).Take(Options.BatchSize).ToListAsync(ct);
        // Deadline.IsDue, with the row lock that lets several instances share the work.
        var at = now.ToUniversalTime();
        var staleBefore = (now - Options.CatchUpWindow).ToUniversalTime();
        return db.Database.SqlQuery<Guid>($"""
            SELECT "Id" AS "Value" FROM "Deadlines"
            WHERE "State" = 'Open'
              AND (("ReminderSentAt" IS NULL AND "RemindAt" <= {at} AND ("DueAt" > {at} OR "RemindAt" > {staleBefore}))
                OR ("EscalatedAt" IS NULL AND "DueAt" < {at}))
            ORDER BY "DueAt" LIMIT {Options.BatchSize}
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct);
    }

    /// <summary>Sends pending e-mails until none is due; a failure waits RetryDelay × 2^(attempts−1), and after MaxAttempts it is marked failed.</summary>
    public async Task<(int Sent, int Failed)> SendEmailsAsync(CancellationToken ct)
    {
        int sent = 0, failed = 0;
        while (true)
        {
            var batch = await ClaimEmailsAsync(ct);
            foreach (var delivery in batch)
            {
                // Stopping (shutdown, or a crash) between two messages leaves the rest claimed; they are taken up again
                // when the claim lapses. Only a message the server accepted just before a hard kill can go out twice.
                ct.ThrowIfCancellationRequested();
                var now = time.GetUtcNow();
                var error = delivery.Email is null ? "NoEmailAddress" : await TrySendAsync(delivery.Id, delivery.Email, delivery.Text);
                var deliveries = db.Set<ReminderDelivery>().Where(d => d.Id == delivery.Id && d.State == DeliveryState.Pending);
                if (error is null)
                {
                    sent++;
                    await deliveries.ExecuteUpdateAsync(s => s
                        .SetProperty(d => d.State, DeliveryState.Sent).SetProperty(d => d.SentAt, now)
                        .SetProperty(d => d.Attempts, d => d.Attempts + 1), CancellationToken.None);
                    continue;
                }
                var attempts = delivery.Attempts + 1;
                var final = attempts >= Options.MaxAttempts || delivery.Email is null;
                if (final) failed++;
                logger.LogWarning("E-mail delivery {DeliveryId} failed (attempt {Attempt}, {Outcome}): {Error}",
                    delivery.Id, attempts, final ? "given up" : "will retry", error);
                await deliveries.ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.State, final ? DeliveryState.Failed : DeliveryState.Pending)
                    .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastError, error)
                    .SetProperty(d => d.NextAttemptAt, final ? now : now + Options.RetryDelay * Math.Pow(2, attempts - 1)), CancellationToken.None);
            }
            if (batch.Count < Options.EmailBatchSize) return (sent, failed);
        }
    }

    private sealed record EmailWork(Guid Id, string Text, int Attempts, string? Email);

    private async Task<List<EmailWork>> ClaimEmailsAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow();
        List<Guid> ids;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            ids = Postgres
                ? await db.Database.SqlQuery<Guid>($"""
                    SELECT "Id" AS "Value" FROM "ReminderDeliveries"
                    WHERE "State" = 'Pending' AND "NextAttemptAt" <= {now.ToUniversalTime()}
                    ORDER BY "NextAttemptAt" LIMIT {Options.EmailBatchSize}
                    FOR UPDATE SKIP LOCKED
                    """).ToListAsync(ct)
                : await db.Set<ReminderDelivery>().Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now)
                    .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(Options.EmailBatchSize).ToListAsync(ct);
            if (ids.Count == 0) return [];
            var claimedUntil = now + Options.EmailClaim;
            await db.Set<ReminderDelivery>().Where(d => ids.Contains(d.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, claimedUntil), ct);
            await transaction.CommitAsync(ct);
        }
        return await (
            from d in db.Set<ReminderDelivery>()
            where ids.Contains(d.Id)
            join u in db.Users on d.UserId equals u.Id into users
            from u in users.DefaultIfEmpty()
            orderby d.CreatedAt, d.Id
            select new EmailWork(d.Id, d.Text, d.Attempts, u == null ? null : u.Email)).ToListAsync(ct);
    }

    /// <summary>Null when the server accepted the message; otherwise what went wrong, without the address or the text.</summary>
    private async Task<string?> TrySendAsync(Guid deliveryId, string address, string text)
    {
        try
        {
            await email.SendAsync(deliveryId, address, text);
            return null;
        }
        catch (Exception e) when (e is SmtpException or IOException or SocketException or FormatException or InvalidOperationException)
        {
            return e is SmtpException smtp ? $"{e.GetType().Name} {smtp.StatusCode}" : e.GetType().Name;
        }
    }
}
