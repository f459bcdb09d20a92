using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>
/// GET /api/admin/reminders (Administratör): the state of the reminder work across all instances, counts only.
/// Due: deadline steps due now; Overdue: of those, due for longer than <c>Reminders:HealthOverdueAfter</c>;
/// Pending: e-mails not yet sent; Retried: e-mails that needed more than one attempt; Failed: given up.
/// </summary>
public static class ReminderQueue
{
    public sealed record Counts(int Due, int Overdue, int Pending, int Retried, int Failed, int FailedLastDay);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapGet("/reminders", Handle).RequireAuthorization(Policies.Admin);

    internal static async Task<Ok<Counts>> Handle(SspfDbContext db, TimeProvider time, IOptions<ReminderOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await CountAsync(db, time.GetUtcNow(), options.Value, ct));

    public static async Task<Counts> CountAsync(SspfDbContext db, DateTimeOffset now, ReminderOptions options, CancellationToken ct)
    {
        var deadlines = db.Set<Deadline>();
        var deliveries = db.Set<ReminderDelivery>().Where(d => d.Channel == DeliveryChannel.Email);
        var dayAgo = now.AddDays(-1);
        return new Counts(
            await deadlines.CountAsync(Deadline.IsDue(now, options.CatchUpWindow), ct),
            await deadlines.CountAsync(Deadline.IsDue(now - options.HealthOverdueAfter, options.CatchUpWindow), ct),
            await deliveries.CountAsync(d => d.State == DeliveryState.Pending, ct),
            await deliveries.CountAsync(d => d.Attempts > 1 || (d.State == DeliveryState.Pending && d.Attempts > 0), ct),
            await deliveries.CountAsync(d => d.State == DeliveryState.Failed, ct),
            await deliveries.CountAsync(d => d.State == DeliveryState.Failed && d.NextAttemptAt > dayAgo, ct));
    }
}

/// <summary>
/// Part of /health/ready. Degraded — not Unhealthy, which would take instances out of service for a backlog they can
/// still serve requests through — when due work has waited past <c>Reminders:HealthOverdueAfter</c> (no instance is
/// dispatching) or when <c>Reminders:HealthFailedThreshold</c> e-mails failed for good in the last 24 hours.
/// </summary>
public sealed class ReminderQueueHealthCheck(SspfDbContext db, TimeProvider time, IOptions<ReminderOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var counts = await ReminderQueue.CountAsync(db, time.GetUtcNow(), options.Value, ct);
        var overdueEmails = await db.Set<ReminderDelivery>()
            .CountAsync(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= time.GetUtcNow() - options.Value.HealthOverdueAfter, ct);
        var data = new Dictionary<string, object>
        {
            ["due"] = counts.Due, ["overdue"] = counts.Overdue + overdueEmails, ["pending"] = counts.Pending, ["failedLastDay"] = counts.FailedLastDay,
        };
        if (counts.Overdue + overdueEmails > 0)
            return HealthCheckResult.Degraded($"{counts.Overdue + overdueEmails} reminder step(s) or e-mail(s) waiting longer than {options.Value.HealthOverdueAfter}.", data: data);
        if (counts.FailedLastDay >= options.Value.HealthFailedThreshold)
            return HealthCheckResult.Degraded($"{counts.FailedLastDay} e-mail deliveries failed in the last 24 hours.", data: data);
        return HealthCheckResult.Healthy(data: data);
    }
}
