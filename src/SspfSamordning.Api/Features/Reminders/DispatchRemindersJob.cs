using Quartz;
using SspfSamordning.Api.Infrastructure.Scheduling;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>
/// Every <c>Reminders:Interval</c> (and once right at start, which catches up what came due while no instance ran):
/// dispatches due reminders and escalations and sends pending e-mails. Any number of instances may run it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DispatchRemindersJob(ReminderDispatcher dispatcher) : IJob
{
    public static void Schedule(IQuartzBuilder q, IConfiguration configuration) =>
        q.Every<DispatchRemindersJob>(configuration.GetSection("Reminders").Get<ReminderOptions>()?.Interval ?? new ReminderOptions().Interval);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await dispatcher.RunAsync(cancellationToken);
}
