using Hangfire;
using SspfSamordning.Api.Infrastructure.Scheduling;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>
/// A recurring Hangfire job, every <c>Reminders:Interval</c> and once right when an instance starts (which catches up
/// what came due while no instance ran): dispatches due reminders and escalations and enqueues their e-mails. Safe to
/// run on any number of instances at once (the dispatcher claims rows); no retry of its own, the next run comes anyway.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class DispatchRemindersJob(ReminderDispatcher dispatcher)
{
    public const string Id = "reminders";

    public static void Schedule(IRecurringJobManager jobs, IConfiguration configuration)
    {
        var interval = configuration.GetSection("Reminders").Get<ReminderOptions>()?.Interval ?? new ReminderOptions().Interval;
        jobs.AddOrUpdate<DispatchRemindersJob>(Id, j => j.RunAsync(CancellationToken.None), Jobs.Every(interval, "Reminders:Interval"));
        jobs.Trigger(Id);
    }

    [JobDisplayName("Dispatch due reminders")]
    public async Task RunAsync(CancellationToken ct) => await dispatcher.RunAsync(ct);
}
