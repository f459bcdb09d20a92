using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Scheduling;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Reminders;

public static class ReminderSteps
{
    /// <summary>What one dispatch did: steps that went out, and e-mail jobs this instance then performed.</summary>
    public sealed record Dispatched(int Steps, int EmailJobsPerformed);

    /// <summary>
    /// What the recurring job and Hangfire's workers do, on the factory's clock: runs the dispatcher in a scope of its own,
    /// then plays Hangfire's scheduler on the moved clock (an e-mail job waiting for its retry is enqueued once its
    /// delivery's next attempt is due) and performs the e-mail queue with a real Hangfire worker (the app's storage, job
    /// activator and filters — so Hangfire's retry policy acts) until it is empty. <paramref name="ct"/> stops the worker
    /// between jobs, as a shutdown would.
    /// </summary>
    public static async Task<Dispatched> DispatchAsync(this SspfApiFactory factory, CancellationToken ct = default)
    {
        ReminderDispatcher.Result result;
        await using (var scope = factory.Services.CreateAsyncScope())
            result = await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(ct);
        await factory.EnqueueDueRetriesAsync();
        return new Dispatched(result.Steps, await Task.Run(() => factory.PerformEmailJobs(ct), CancellationToken.None));
    }

    /// <summary>Hangfire's delayed-job scheduler, on the test clock: retries whose delivery is due now go to the queue.</summary>
    public static async Task EnqueueDueRetriesAsync(this SspfApiFactory factory)
    {
        var storage = factory.Services.GetRequiredService<JobStorage>();
        var client = factory.Services.GetRequiredService<IBackgroundJobClient>();
        var scheduled = storage.GetMonitoringApi().ScheduledJobs(0, 10_000)
            .Where(j => j.Value.Job?.Type == typeof(EmailDeliveryJob)).ToList();
        if (scheduled.Count == 0) return;
        var now = factory.Clock.GetUtcNow();
        var due = (await factory.QueryAsync(db => db.Set<ReminderDelivery>()
            .Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now).Select(d => d.Id).ToListAsync())).ToHashSet();
        foreach (var (jobId, job) in scheduled)
            if (due.Contains((Guid)job.Job.Args[0])) client.ChangeState(jobId, new EnqueuedState(), ScheduledState.StateName);
    }

    /// <summary>Performs e-mail jobs with Hangfire's own worker until the queue is empty; returns how many it performed.</summary>
    public static int PerformEmailJobs(this SspfApiFactory factory, CancellationToken ct = default)
    {
        var storage = factory.Services.GetRequiredService<JobStorage>();
        var filters = factory.Services.GetRequiredService<IJobFilterProvider>();
        var worker = new Worker([Jobs.EmailQueue], new BackgroundJobPerformer(filters, factory.Services.GetRequiredService<JobActivator>()),
            new BackgroundJobStateChanger(filters));
        var performed = 0;
        while (storage.GetMonitoringApi().EnqueuedCount(Jobs.EmailQueue) > 0)
        {
            ct.ThrowIfCancellationRequested();
            // Another instance may take the last job first: then the fetch waits, and gives up after a while.
            using var fetch = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                worker.Execute(new BackgroundProcessContext("test-worker", storage, new Dictionary<string, object>(), Guid.NewGuid(), fetch.Token, ct, ct));
                performed++;
            }
            catch (OperationCanceledException) when (fetch.IsCancellationRequested && !ct.IsCancellationRequested)
            {
            }
        }
        return performed;
    }

    public static async Task<T> QueryAsync<T>(this SspfApiFactory factory, Func<SspfDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SspfDbContext>());
    }

    /// <summary>The newest deadline of <paramref name="kind"/> of a case or concern report.</summary>
    public static Task<Deadline> DeadlineAsync(this SspfApiFactory factory, DeadlineKind kind, Guid ownerId) =>
        factory.QueryAsync(db => db.Set<Deadline>().AsNoTracking()
            .Where(d => d.Kind == kind && (EF.Property<Guid?>(d, Aggregates.CaseId) == ownerId || EF.Property<Guid?>(d, Aggregates.ConcernReportId) == ownerId))
            .OrderByDescending(d => d.CreatedAt).FirstAsync());

    /// <summary>The notifications of a deadline, reminder first.</summary>
    public static async Task<List<Notification>> NotificationsAsync(this SspfApiFactory factory, Guid deadlineId) =>
        [.. (await factory.QueryAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.DeadlineId == deadlineId).ToListAsync())).OrderBy(n => n.Step)];
}
