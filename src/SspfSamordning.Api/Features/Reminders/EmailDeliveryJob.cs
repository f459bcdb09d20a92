using System.Net.Mail;
using System.Net.Sockets;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Scheduling;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>
/// One e-mail delivery, as its own Hangfire job; its only argument is the delivery's id (the address and the text are read
/// from the database when it runs, never stored in the job). The delivery row stays the truth: each attempt is recorded on
/// it (attempts, the last error — an exception type and SMTP status, no address or content — and when the next attempt is
/// due). A failure throws, so that Hangfire retries the job after <c>Reminders:RetryDelay</c> × 2^(attempt−1)
/// (<see cref="RetryPolicy"/>); after <c>Reminders:MaxAttempts</c> the row is marked failed. A job whose delivery is no
/// longer pending (already sent or failed), or is being sent by another job right now, does nothing. A delivery whose
/// deadline was closed after the reminder was written — the case closed, the consent answered, the task done while the
/// e-mail waited for its first attempt or a retry — is cancelled instead of sent (domain.md: closing cancels pending
/// reminders); one the dispatcher wrote while closing the deadline itself (the same instant) is still sent.
/// </summary>
[Queue(Jobs.EmailQueue)]
public sealed class EmailDeliveryJob(
    SspfDbContext db, TimeProvider time, IOptions<ReminderOptions> options, EmailSender email, ILogger<EmailDeliveryJob> logger)
{
    private ReminderOptions Options => options.Value;

    public enum Outcome { Sent, Retry, Failed, Cancelled, NothingToDo }

    /// <summary>Hangfire's retry of this job: the attempts after the first, each waiting the delay the row records.</summary>
    public static AutomaticRetryAttribute RetryPolicy(ReminderOptions options) => new()
    {
        Attempts = Math.Max(0, options.MaxAttempts - 1),
        DelayInSecondsByAttemptFunc = attempt => (int)Math.Ceiling(Delay(options, (int)attempt).TotalSeconds),
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
        LogEvents = false,
    };

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based): RetryDelay, doubled after each failure.</summary>
    public static TimeSpan Delay(ReminderOptions options, int attempt) => options.RetryDelay * Math.Pow(2, attempt - 1);

    /// <summary>Hangfire's entry point: throws on a failure that is to be retried, and on the final one (the job then shows as failed).</summary>
    [JobDisplayName("E-mail delivery {0}")]
    public async Task SendAsync(Guid deliveryId, CancellationToken ct)
    {
        var outcome = await TrySendAsync(deliveryId, ct);
        if (outcome is Outcome.Retry or Outcome.Failed)
            throw new EmailDeliveryFailedException(deliveryId, outcome == Outcome.Failed);
    }

    /// <summary>One attempt, recorded on the row.</summary>
    public async Task<Outcome> TrySendAsync(Guid deliveryId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var deliveries = db.Set<ReminderDelivery>().Where(d => d.Id == deliveryId && d.State == DeliveryState.Pending && d.Channel == DeliveryChannel.Email);
        if (await deliveries.Where(d => db.Set<Domain.Deadline>().Any(x => x.Id == d.DeadlineId && x.State != Domain.DeadlineState.Open && x.ClosedAt > d.CreatedAt))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeliveryState.Cancelled), ct) > 0)
            return Outcome.Cancelled;
        // Claim: only a due delivery, and for EmailClaim — a second job for the same delivery (Hangfire's retry and the
        // dispatcher's re-enqueueing of a delivery whose job was lost) finds it claimed and leaves it.
        var claimedUntil = now + Options.EmailClaim;
        if (await deliveries.Where(d => d.NextAttemptAt <= now).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, claimedUntil), ct) == 0)
            return Outcome.NothingToDo;

        var work = await (
            from d in deliveries
            join u in db.Users on d.UserId equals u.Id into users
            from u in users.DefaultIfEmpty()
            select new { d.Text, d.Attempts, Email = u == null ? null : u.Email }).SingleAsync(ct);
        var error = work.Email is null ? "NoEmailAddress" : await TrySmtpAsync(deliveryId, work.Email, work.Text);
        now = time.GetUtcNow();
        var attempts = work.Attempts + 1;
        if (error is null)
        {
            await deliveries.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Sent).SetProperty(d => d.SentAt, now)
                .SetProperty(d => d.Attempts, attempts), CancellationToken.None);
            return Outcome.Sent;
        }
        var final = attempts >= Options.MaxAttempts || work.Email is null;
        logger.LogWarning("E-mail delivery {DeliveryId} failed (attempt {Attempt}, {Outcome}): {Error}",
            deliveryId, attempts, final ? "given up" : "will retry", error);
        await deliveries.ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, final ? DeliveryState.Failed : DeliveryState.Pending)
            .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastError, error)
            .SetProperty(d => d.NextAttemptAt, final ? now : now + Delay(Options, attempts)), CancellationToken.None);
        return final ? Outcome.Failed : Outcome.Retry;
    }

    /// <summary>Null when the server accepted the message; otherwise what went wrong, without the address or the text.</summary>
    private async Task<string?> TrySmtpAsync(Guid deliveryId, string address, string text)
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

/// <summary>What Hangfire records for a failed attempt: the delivery's id only (the row has the error).</summary>
public sealed class EmailDeliveryFailedException(Guid deliveryId, bool final)
    : Exception($"E-mail delivery {deliveryId} failed{(final ? " for good" : "; it will be retried")} (see its row's LastError).");
