using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Meetings;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Reminders;

/// <summary>The app with e-mail on, against <see cref="SmtpSink"/> on loopback.</summary>
public sealed class SmtpApiFactory : SspfApiFactory
{
    public SmtpSink Sink { get; } = new();

    public SmtpApiFactory()
    {
        Settings["Email:Host"] = "127.0.0.1";
        Settings["Email:Port"] = Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Email:EnableSsl"] = "false";
        Settings["Email:From"] = "sspf@falkenberg.example";
        Settings["Reminders:MaxAttempts"] = "3";
        Settings["Reminders:HealthFailedThreshold"] = "2";
        Settings["Email:Timeout"] = "00:00:05";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sink.DisposeAsync();
    }
}

public sealed class EmailAndInboxTests(SmtpApiFactory factory) : IClassFixture<SmtpApiFactory>
{
    private static readonly string[] PersonalData = ["Kim", "Testsson", "Anna", "Storgatan", "Tångaskolan", "070-"];

    private Task<List<ReminderDelivery>> EmailsAsync(Guid deadlineId) =>
        factory.QueryAsync(db => db.Set<ReminderDelivery>().AsNoTracking()
            .Where(d => d.DeadlineId == deadlineId && d.Channel == DeliveryChannel.Email).ToListAsync());

    /// <summary>A new case with a consent requested: its answer deadline, whose reminder goes by e-mail.</summary>
    private async Task<(CaseScenario Scenario, Guid CaseId, Deadline Deadline)> UnansweredConsentAsync()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.RequestConsentAsync(caseId);
        return (scenario, caseId, await factory.DeadlineAsync(DeadlineKind.ConsentUnanswered, caseId));
    }

    [Fact]
    public async Task Email_GoesToTheResponsible_NamingTheCaseNumberAndTheTask_AndNoPersonalData()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow());
        var caseId = await scenario.OpenCaseAsync(personnummer: personnummer);
        var caseNumber = (await scenario.GetCaseAsync(caseId)).GetProperty("caseNumber").GetString()!;
        await scenario.RequestConsentAsync(caseId);
        var deadline = await factory.DeadlineAsync(DeadlineKind.ConsentUnanswered, caseId);

        factory.Clock.Set(deadline.DueAt.AddMinutes(1));
        await factory.DispatchAsync();

        var deliveries = await EmailsAsync(deadline.Id);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.Sent, 1), (d.State, d.Attempts)));
        var ids = deliveries.Select(d => d.Id.ToString()).ToHashSet();
        var messages = factory.Sink.Messages.Where(m => ids.Contains(m.Header("X-Sspf-Delivery") ?? "")).ToList();
        Assert.Equal(2, messages.Count);
        foreach (var message in messages)
        {
            Assert.Equal([SspfClient.Demo("samordnare")], message.Recipients);
            Assert.Contains($"ärende {caseNumber}: samtycke som inte har besvarats", message.Body, StringComparison.Ordinal);
            foreach (var text in new[] { message.Body, message.Raw })
            {
                foreach (var personal in PersonalData) Assert.DoesNotContain(personal, text, StringComparison.Ordinal);
                Assert.DoesNotContain(personnummer[2..8], text, StringComparison.Ordinal);
                Assert.DoesNotContain(personnummer[8..], text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task RefusedEmail_IsRetriedByHangfireWithBackoff_ThenFailed_WhileTheInAppNotificationIsDelivered()
    {
        var (scenario, caseId, deadline) = await UnansweredConsentAsync();
        factory.Sink.Refuse = true;
        try
        {
            var first = deadline.DueAt.AddMinutes(1);
            factory.Clock.Set(first);
            await factory.DispatchAsync();
            Assert.Equal(2, (await factory.NotificationsAsync(deadline.Id)).Count);
            var afterFirst = await EmailsAsync(deadline.Id);
            Assert.All(afterFirst, d =>
            {
                Assert.Equal((DeliveryState.Pending, 1, first.AddMinutes(1)), (d.State, d.Attempts, d.NextAttemptAt));
                Assert.Equal("SmtpException LocalErrorInProcessing", d.LastError);
                Assert.DoesNotContain("@", d.LastError, StringComparison.Ordinal);
                // Hangfire's automatic retry holds the job, due after Reminders:RetryDelay (its own clock: the real one).
                var (state, reason) = HangfireJob(d.Id);
                Assert.Equal("Scheduled", state);
                Assert.StartsWith("Retry attempt 1 of 2: ", reason, StringComparison.Ordinal);
                Assert.DoesNotContain("@", reason, StringComparison.Ordinal);
            });

            factory.Clock.Set(first.AddSeconds(59));
            await factory.DispatchAsync();
            Assert.All(await EmailsAsync(deadline.Id), d => Assert.Equal(1, d.Attempts));

            var second = first.AddMinutes(1);
            factory.Clock.Set(second);
            await factory.DispatchAsync();
            Assert.All(await EmailsAsync(deadline.Id), d => Assert.Equal((DeliveryState.Pending, 2, second.AddMinutes(2)), (d.State, d.Attempts, d.NextAttemptAt)));

            factory.Clock.Set(second.AddMinutes(2));
            await factory.DispatchAsync();
            Assert.All(await EmailsAsync(deadline.Id), d => Assert.Equal((DeliveryState.Failed, 3), (d.State, d.Attempts)));
            Assert.All(await EmailsAsync(deadline.Id), d => Assert.Equal("Failed", HangfireJob(d.Id).State));

            // A later dispatch neither sends nor enqueues a failed delivery again.
            factory.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(0, (await factory.DispatchAsync()).EmailJobsPerformed);
            Assert.All(await EmailsAsync(deadline.Id), d => Assert.Equal((DeliveryState.Failed, 3), (d.State, d.Attempts)));
        }
        finally
        {
            factory.Sink.Refuse = false;
        }

        await scenario.RenewSessionsAsync();
        var counts = await (await (await scenario.As("admin")).Http.GetAsync("/api/admin/reminders")).JsonAsync();
        Assert.True(counts.GetProperty("failed").GetInt32() >= 2);
        Assert.True(counts.GetProperty("retried").GetInt32() >= 2);
        await (await (await scenario.As("samordnare")).Http.GetAsync("/api/admin/reminders")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        var ready = await factory.CreateClient().GetAsync("/health/ready");
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
    }

    /// <summary>A claim no longer than the send's timeout would let a second job send beside a slow first one: the app refuses to start.</summary>
    [Theory]
    [InlineData("00:00:05", "00:00:05")]
    [InlineData("00:00:30", "00:00:05")]
    public void AnEmailClaimNotLongerThanTheSendTimeout_RefusesToStart(string timeout, string claim)
    {
        using var misconfigured = new SspfApiFactory();
        misconfigured.Settings["Email:Timeout"] = timeout;
        misconfigured.Settings["Reminders:EmailClaim"] = claim;
        var error = Assert.ThrowsAny<Exception>(() => misconfigured.CreateClient());
        Assert.Contains("Reminders:EmailClaim must be longer than Email:Timeout", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A server that stops answering in the middle of a send: the attempt ends at <c>Email:Timeout</c> (SmtpClient's
    /// timeout covers its asynchronous send on .NET 10, which a review had doubted), well within the job's claim, and is
    /// retried as a failed attempt — not left hanging while the dispatcher, after <c>Reminders:EmailClaim</c>, gives the
    /// delivery a second job.
    /// </summary>
    [Fact]
    public async Task ASendTheServerStopsAnswering_EndsAtEmailTimeout_AndIsRetried()
    {
        var (scenario, caseId, deadline) = await UnansweredConsentAsync();
        var first = deadline.DueAt.AddMinutes(1);
        factory.Sink.Stall = true;
        try
        {
            factory.Clock.Set(first);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await factory.DispatchAsync().WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
            var attempted = await EmailsAsync(deadline.Id);
            Assert.Equal(2, attempted.Count);
            Assert.All(attempted, d => Assert.Equal((DeliveryState.Pending, 1, "SmtpException GeneralFailure"), (d.State, d.Attempts, d.LastError)));
        }
        finally
        {
            factory.Sink.Stall = false;
        }

        factory.Clock.Set(first.AddMinutes(1));
        await factory.DispatchAsync();
        Assert.All(await EmailsAsync(deadline.Id), d => Assert.Equal((DeliveryState.Sent, 2), (d.State, d.Attempts)));
    }

    [Fact]
    public async Task AReminderWaitingForItsRetry_IsCancelledNotSent_WhenTheCaseIsClosedMeanwhile()
    {
        var (scenario, caseId, deadline) = await UnansweredConsentAsync();
        var first = deadline.DueAt.AddMinutes(1);
        factory.Sink.Refuse = true;
        try
        {
            factory.Clock.Set(first);
            await factory.DispatchAsync();
            Assert.All(await EmailsAsync(deadline.Id), d => Assert.Equal((DeliveryState.Pending, 1), (d.State, d.Attempts)));
        }
        finally
        {
            factory.Sink.Refuse = false;
        }

        // Closed before the retry is due: the retry cancels the e-mail instead of sending it.
        factory.Clock.Set(first.AddSeconds(30));
        await scenario.RenewSessionsAsync();
        await (await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions",
            new { trigger = "Close", closeReason = "NotRelevant" })).EnsureStatusAsync(HttpStatusCode.OK);
        factory.Clock.Set(first.AddMinutes(1));
        await factory.DispatchAsync();

        var deliveries = await EmailsAsync(deadline.Id);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.Cancelled, 1), (d.State, d.Attempts)));
        var ids = deliveries.Select(d => d.Id.ToString()).ToHashSet();
        Assert.DoesNotContain(factory.Sink.Messages, m => ids.Contains(m.Header("X-Sspf-Delivery") ?? ""));
    }

    /// <summary>The state and its reason of the one Hangfire job of an e-mail delivery.</summary>
    private (string State, string? Reason) HangfireJob(Guid deliveryId)
    {
        var storage = factory.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        var jobIds = monitoring.ScheduledJobs(0, 10_000).Where(j => Is(j.Value.Job)).Select(j => j.Key)
            .Concat(monitoring.FailedJobs(0, 10_000).Where(j => Is(j.Value.Job)).Select(j => j.Key))
            .Concat(monitoring.SucceededJobs(0, 10_000).Where(j => Is(j.Value.Job)).Select(j => j.Key)).ToList();
        var details = monitoring.JobDetails(Assert.Single(jobIds));
        var current = details.History[0];
        return (current.StateName, current.Reason);
        bool Is(Hangfire.Common.Job? job) => job?.Type == typeof(EmailDeliveryJob) && (Guid)job.Args[0] == deliveryId;
    }

    [Fact]
    public async Task Inbox_ShowsOnlyTheCallersNotifications_NewestFirst_AndMarkingReadIsIdempotent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.ScheduleAsync(caseId, "Mapping", factory.Clock.GetUtcNow().AddDays(5));
        var deadline = await factory.DeadlineAsync(DeadlineKind.Meeting, caseId);
        factory.Clock.Set(deadline.RemindAt!.Value);
        await factory.DispatchAsync();
        factory.Clock.Set(deadline.DueAt.AddMinutes(1));
        await factory.DispatchAsync();
        await scenario.RenewSessionsAsync();
        var coordinator = (await scenario.As("samordnare")).Http;
        var police = (await scenario.As("polis")).Http;

        var response = await coordinator.GetAsync("/api/me/notifications?pageSize=100");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var raw = await response.Content.ReadAsStringAsync();
        var mine = (await response.JsonAsync()).GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("caseId") is { ValueKind: JsonValueKind.String } id && id.GetGuid() == caseId).ToList();
        Assert.Equal(2, mine.Count);
        Assert.StartsWith("Tidsfristen har passerat", mine[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Du har en uppgift", mine[1].GetProperty("text").GetString(), StringComparison.Ordinal);
        foreach (var personal in PersonalData) Assert.DoesNotContain(personal, raw, StringComparison.Ordinal);

        var id = mine[1].GetProperty("id").GetGuid();
        var policeList = await (await police.GetAsync("/api/me/notifications?pageSize=100")).JsonAsync();
        Assert.DoesNotContain(policeList.GetProperty("items").EnumerateArray(), n => n.GetProperty("id").GetGuid() == id);
        await (await police.PostAsync($"/api/me/notifications/{id}/read", null)).EnsureStatusAsync(HttpStatusCode.NotFound);

        await (await coordinator.PostAsync($"/api/me/notifications/{id}/read", null)).EnsureStatusAsync(HttpStatusCode.NoContent);
        var readAt = factory.Clock.GetUtcNow();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await coordinator.PostAsync($"/api/me/notifications/{id}/read", null)).EnsureStatusAsync(HttpStatusCode.NoContent);
        var stored = await factory.QueryAsync(db => db.Set<Notification>().AsNoTracking().SingleAsync(n => n.Id == id));
        Assert.Equal(readAt, stored.ReadAt);
        await (await coordinator.PostAsync($"/api/me/notifications/{Guid.NewGuid()}/read", null)).EnsureStatusAsync(HttpStatusCode.NotFound);
    }
}
