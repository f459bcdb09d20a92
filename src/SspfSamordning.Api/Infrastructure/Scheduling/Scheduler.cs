using Quartz;

namespace SspfSamordning.Api.Infrastructure.Scheduling;

/// <summary>
/// The one Quartz scheduler of an app instance. It is in memory on purpose: the work itself (deadlines, deliveries,
/// records due for erasure) is rows in our database, claimed atomically by whichever instance gets there first, so
/// any number of instances can run and a restart loses nothing. Each job contributes its schedule through a
/// <c>static void Schedule(IQuartzBuilder, IConfiguration)</c> passed to <see cref="AddSspfScheduler"/>.
/// <c>Scheduler:Enabled=false</c> (the tests) leaves the scheduler out; the jobs' work can still be run directly.
/// </summary>
public static class Scheduler
{
    public static IServiceCollection AddSspfScheduler(
        this IServiceCollection services, IConfiguration configuration, params Action<IQuartzBuilder, IConfiguration>[] jobs)
    {
        if (!configuration.GetValue("Scheduler:Enabled", true)) return services;
        services.AddQuartz(q =>
        {
            foreach (var schedule in jobs) schedule(q, configuration);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>
    /// Runs <typeparamref name="TJob"/> right after start (which catches up whatever came due while no instance ran)
    /// and then every <paramref name="interval"/>. Jobs should carry [DisallowConcurrentExecution].
    /// </summary>
    public static void Every<TJob>(this IQuartzBuilder q, TimeSpan interval) where TJob : IJob
    {
        if (interval <= TimeSpan.Zero) throw new InvalidOperationException($"The interval of {typeof(TJob).Name} must be positive.");
        var key = new JobKey(typeof(TJob).Name);
        q.AddJob<TJob>(j => j.WithIdentity(key));
        q.AddTrigger(t => t.ForJob(key).WithIdentity(typeof(TJob).Name + "-trigger").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
    }
}
