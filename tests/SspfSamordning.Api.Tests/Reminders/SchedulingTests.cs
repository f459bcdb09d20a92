using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Retention;
using SspfSamordning.Api.Infrastructure.Scheduling;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Reminders;

/// <summary>How the app hands its work to Hangfire: schedules, retry policy, and a real Hangfire server under the app's database role.</summary>
public sealed class SchedulingTests
{
    [Theory]
    [InlineData(1, "* * * * *")]
    [InlineData(5, "*/5 * * * *")]
    [InlineData(30, "*/30 * * * *")]
    [InlineData(60, "0 * * * *")]
    [InlineData(6 * 60, "0 */6 * * *")]
    [InlineData(24 * 60, "0 0 * * *")]
    public void Every_IsACronOfWholeMinutesOrHours(int minutes, string cron) =>
        Assert.Equal(cron, Jobs.Every(TimeSpan.FromMinutes(minutes), "X"));

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(30)]           // 30 seconds
    [InlineData(7 * 60)]       // 7 minutes: does not divide an hour
    [InlineData(5 * 3600)]     // 5 hours: does not divide a day
    [InlineData(48 * 3600)]
    public void Every_RefusesAnIntervalHangfireCannotKeep(int seconds) =>
        Assert.Contains("Reminders:Interval", Assert.Throws<InvalidOperationException>(() => Jobs.Every(TimeSpan.FromSeconds(seconds), "Reminders:Interval")).Message);

    [Fact]
    public void EmailJobs_RetryAsConfigured_RecurringJobsNotAtAll()
    {
        var options = new ReminderOptions { MaxAttempts = 4, RetryDelay = TimeSpan.FromSeconds(30) };
        var filters = new SspfJobFilters(Microsoft.Extensions.Options.Options.Create(options));

        var email = filters.GetFilters(Job.FromExpression<EmailDeliveryJob>(j => j.SendAsync(Guid.NewGuid(), CancellationToken.None)))
            .Select(f => f.Instance).OfType<AutomaticRetryAttribute>();
        var retry = Assert.Single(email);
        Assert.Equal(3, retry.Attempts);
        Assert.Equal(AttemptsExceededAction.Fail, retry.OnAttemptsExceeded);
        Assert.Equal([30, 60, 120], new long[] { 1, 2, 3 }.Select(a => retry.DelayInSecondsByAttemptFunc(a)));

        foreach (var job in new[]
        {
            Job.FromExpression<DispatchRemindersJob>(j => j.RunAsync(CancellationToken.None)),
            Job.FromExpression<RetentionJob>(j => j.ExecuteAsync(CancellationToken.None)),
            Job.FromExpression<AuditCheckpointJob>(j => j.ExecuteAsync(CancellationToken.None)),
        })
            Assert.Equal(0, filters.GetFilters(job).Select(f => f.Instance).OfType<AutomaticRetryAttribute>().Last().Attempts);
    }

    [Fact]
    public async Task WithTheSchedulerOn_RecurringJobsAreRegistered_AndTheDispatcherRunsAtStart_AsTheAppRole()
    {
        await using var factory = new SspfApiFactory();
        factory.Settings["Scheduler:Enabled"] = "true";
        factory.Settings["Reminders:Interval"] = "00:05:00";
        factory.CreateClient().Dispose();
        var storage = factory.Services.GetRequiredService<JobStorage>();

        using (var connection = storage.GetConnection())
        {
            var recurring = connection.GetRecurringJobs().ToDictionary(j => j.Id);
            Assert.Equal(["audit-checkpoint", "reminders", "retention"], recurring.Keys.Order());
            Assert.Equal("*/5 * * * *", recurring["reminders"].Cron);
            Assert.Equal("0 0 * * *", recurring["retention"].Cron);
            Assert.Equal("0 * * * *", recurring["audit-checkpoint"].Cron);
            Assert.All(recurring.Values, j => Assert.All(j.Job.Args, a => Assert.True(a is CancellationToken)));
        }

        // The start trigger: the dispatcher's job succeeds on this instance's own Hangfire server (on PostgreSQL connected as
        // sspf_app, which has no DDL rights: the schema was made beforehand, as --migrate does).
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!monitoring.SucceededJobs(0, 100).Any(j => j.Value.Job?.Type == typeof(DispatchRemindersJob)))
        {
            Assert.Empty(monitoring.FailedJobs(0, 100));
            Assert.True(DateTime.UtcNow < deadline, "the dispatcher's start run did not succeed within 60 s");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task OnServerDatabases_TheAppRoleMayUseHangfiresTables_ButNotChangeTheSchema()
    {
        await using var factory = new SspfApiFactory();
        if (!factory.Sql.IsServer) Assert.Skip("Database roles exist on PostgreSQL and SQL Server only.");
        factory.CreateClient().Dispose();
        await using var app = factory.Sql.Connection(factory.AppConnectionString);
        await app.OpenAsync();
        async Task<System.Data.Common.DbException?> Try(string sql)
        {
            try
            {
                await using var command = app.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
                return null;
            }
            catch (System.Data.Common.DbException e) { return e; }
        }
        foreach (var sql in factory.Sql.HangfireUse) Assert.Null(await Try(sql));
        foreach (var sql in factory.Sql.HangfireSchemaChanges)
        {
            var refused = await Try(sql);
            Assert.True(refused is not null && factory.Sql.IsRefusal(refused), $"{sql}: {refused?.Message ?? "allowed"}");
        }
    }
}
