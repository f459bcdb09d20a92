using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Domain;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Meetings;

public sealed class MeetingTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private DateTimeOffset Tomorrow => factory.Clock.GetUtcNow().AddDays(1);

    [Fact]
    public async Task ScheduleMapping_BeforeConsent_Is201WithLocation_InUtc()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var startsAt = Tomorrow.ToOffset(TimeSpan.FromHours(1));

        var response = await scenario.ScheduleResponseAsync(caseId, "Mapping", startsAt);

        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var meeting = await response.JsonAsync();
        var meetingId = meeting.GetProperty("id").GetGuid();
        Assert.Equal($"/api/cases/{caseId}/meetings/{meetingId}", response.Headers.Location?.ToString());
        Assert.Equal("Scheduled", meeting.State());
        Assert.Equal("Mapping", meeting.GetProperty("kind").GetString());
        Assert.Equal(startsAt, meeting.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(TimeSpan.Zero, (await scenario.GetMeetingAsync(caseId, meetingId)).GetProperty("startsAt").GetDateTimeOffset().Offset);
        Assert.Equal(await scenario.UserIdAsync("samordnare"), meeting.GetProperty("organizerUserId").GetGuid());
        Assert.Equal(["Cancel", "Reschedule"], meeting.Strings("permittedTriggers"));
        Assert.Equal("Opened", await scenario.CaseStateAsync(caseId));
    }

    [Fact]
    public async Task ScheduleNetwork_BeforeCaseActive_Is409_AndAllowedOnceActive()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var coordinator = await scenario.As("samordnare");

        await (await scenario.ScheduleResponseAsync(caseId, "Network", Tomorrow)).EnsureRuleAsync("CaseNotActive");
        await scenario.RequestConsentAsync(caseId);
        await (await scenario.ScheduleResponseAsync(caseId, "Network", Tomorrow)).EnsureRuleAsync("CaseNotActive");
        var list = await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/meetings")).JsonAsync();
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());

        var consentId = (await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/consents")).JsonAsync()).GetProperty("items")[0].GetProperty("id").GetGuid();
        foreach (var guardianId in await scenario.GuardianIdsAsync(caseId))
            await (await scenario.AnswerAsync(caseId, consentId, "Guardian", guardianId)).EnsureStatusAsync(HttpStatusCode.OK);
        await (await scenario.ScheduleResponseAsync(caseId, "Network", Tomorrow)).EnsureStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ScheduleNetwork_OnActiveCase_WithInviteeInsideConsent_Is201()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "skola");
        await scenario.GiveValidConsentAsync(caseId, ["Skola"], ["Basic"]);
        var school = await scenario.UserIdAsync("skola");

        var response = await scenario.ScheduleResponseAsync(caseId, "Network", Tomorrow, school);

        await response.EnsureStatusAsync(HttpStatusCode.Created);
        Assert.Equal([school], (await response.JsonAsync()).GetProperty("inviteeUserIds").EnumerateArray().Select(i => i.GetGuid()));
    }

    [Fact]
    public async Task Schedule_InviteeNotMember_Is409WithReason()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.GiveValidConsentAsync(caseId);

        var response = await scenario.ScheduleResponseAsync(caseId, "Network", Tomorrow, await scenario.UserIdAsync("skola"));

        var problem = await response.EnsureRuleAsync("InviteeNotMember");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Schedule_InviteeOutsideConsentScope_Is409NamingTheParty_AndCreatesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "skola");
        await scenario.AddMemberAsync(caseId, "fritid");
        await scenario.GiveValidConsentAsync(caseId, ["Skola"], ["Basic"]);

        var response = await scenario.ScheduleResponseAsync(caseId, "Network", Tomorrow,
            await scenario.UserIdAsync("skola"), await scenario.UserIdAsync("fritid"));

        var problem = await response.EnsureRuleAsync("InviteeOutsideConsent");
        Assert.Contains("Fritid", problem.GetProperty("detail").GetString());
        var list = await (await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}/meetings")).JsonAsync();
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task ScheduleMeeting_InvalidBody_Is400WithFieldErrors_AndCreatesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var coordinator = await scenario.As("samordnare");
        var url = $"/api/cases/{caseId}/meetings";

        await (await coordinator.Http.PostAsJsonAsync(url, new { })).EnsureFieldErrorsAsync("kind", "startsAt", "inviteeUserIds");
        await (await scenario.ScheduleResponseAsync(caseId, "Mapping", factory.Clock.GetUtcNow().AddMinutes(-1))).EnsureFieldErrorsAsync("startsAt");
        await (await coordinator.Http.PostAsJsonAsync(url, new { kind = "Party", startsAt = Tomorrow, inviteeUserIds = Array.Empty<Guid>() }))
            .EnsureStatusAsync(HttpStatusCode.BadRequest);

        var list = await (await coordinator.Http.GetAsync(url)).JsonAsync();
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("socialsekreterare")]
    [InlineData("skola")]
    public async Task ScheduleMeeting_NotCoordinator_Is403(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, name);
        await scenario.GiveValidConsentAsync(caseId);

        var response = await (await scenario.As(name)).Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings",
            new { kind = "Mapping", startsAt = Tomorrow, inviteeUserIds = Array.Empty<Guid>() });

        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Hold_BeforeStartTime_Is409WithCurrentStatePermittedTriggersAndUnmetGuard()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", Tomorrow);

        var response = await scenario.FireAsync(caseId, meetingId,
            new { trigger = "Hold", attendeeUserIds = Array.Empty<Guid>(), youthAttended = true, attendingGuardianIds = Array.Empty<Guid>() });

        var problem = await response.EnsureRuleAsync("TransitionRefused");
        Assert.Equal("Scheduled", problem.GetProperty("currentState").GetString());
        Assert.Equal(["Cancel", "Reschedule"], problem.Strings("permittedTriggers"));
        Assert.Single(problem.Strings("unmetGuards"));
        Assert.Equal("Scheduled", (await scenario.GetMeetingAsync(caseId, meetingId)).State());
    }

    [Fact]
    public async Task Hold_ThenMinutesDrafted_ThenApproved_FreezesTheMinutes()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "skola");
        await scenario.GiveValidConsentAsync(caseId, ["Skola"], ["Basic"]);
        var school = await scenario.UserIdAsync("skola");
        var guardian = (await scenario.GuardianIdsAsync(caseId))[0];
        var meetingId = await scenario.ScheduleAsync(caseId, "Network", factory.Clock.GetUtcNow().AddMinutes(2), school);
        await (await scenario.PutMinutesAsync(caseId, meetingId, "För tidigt")).EnsureRuleAsync("MinutesNotEditable");
        factory.Clock.Advance(TimeSpan.FromMinutes(3));

        var held = await scenario.FireAsync(caseId, meetingId,
            new { trigger = "Hold", attendeeUserIds = new[] { school }, youthAttended = true, attendingGuardianIds = new[] { guardian } });
        await held.EnsureStatusAsync(HttpStatusCode.OK);
        var meeting = await held.JsonAsync();
        Assert.Equal("Held", meeting.State());
        Assert.Equal([school], meeting.GetProperty("attendeeUserIds").EnumerateArray().Select(i => i.GetGuid()));
        Assert.Equal([guardian], meeting.GetProperty("attendingGuardianIds").EnumerateArray().Select(i => i.GetGuid()));
        Assert.True(meeting.GetProperty("youthAttended").GetBoolean());

        // No draft yet: approval is refused by its guard.
        var early = await scenario.FireAsync(caseId, meetingId, new { trigger = "ApproveMinutes" });
        Assert.Equal("Held", (await early.EnsureRuleAsync("TransitionRefused")).GetProperty("currentState").GetString());

        var drafted = await scenario.PutMinutesAsync(caseId, meetingId, "Mål: närvaro i skolan.");
        await drafted.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Mål: närvaro i skolan.", (await drafted.JsonAsync()).GetProperty("minutes").GetString());

        var approved = await scenario.FireAsync(caseId, meetingId, new { trigger = "ApproveMinutes" });
        await approved.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("MinutesApproved", (await approved.JsonAsync()).State());

        await (await scenario.PutMinutesAsync(caseId, meetingId, "Ändrat i efterhand")).EnsureRuleAsync("MinutesNotEditable");
        var frozen = await scenario.GetMeetingAsync(caseId, meetingId);
        Assert.Equal("Mål: närvaro i skolan.", frozen.GetProperty("minutes").GetString());
        Assert.Equal(JsonValueKind.String, frozen.GetProperty("minutesApprovedAt").ValueKind);
    }

    [Fact]
    public async Task Hold_WithAttendeeOutsideTheCase_Is400_AndMeetingStaysScheduled()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", factory.Clock.GetUtcNow().AddMinutes(2));
        factory.Clock.Advance(TimeSpan.FromMinutes(3));

        var response = await scenario.FireAsync(caseId, meetingId,
            new { trigger = "Hold", attendeeUserIds = new[] { await scenario.UserIdAsync("polis") }, youthAttended = false, attendingGuardianIds = Array.Empty<Guid>() });

        await response.EnsureFieldErrorsAsync("attendeeUserIds");
        Assert.Equal("Scheduled", (await scenario.GetMeetingAsync(caseId, meetingId)).State());
    }

    [Fact]
    public async Task Cancel_ScheduledMeeting_IsCancelled_AndThenNothingElseIsPermitted()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", Tomorrow);

        var cancelled = await scenario.FireAsync(caseId, meetingId, new { trigger = "Cancel", reason = "Familjen är sjuk" });

        await cancelled.EnsureStatusAsync(HttpStatusCode.OK);
        var meeting = await cancelled.JsonAsync();
        Assert.Equal("Cancelled", meeting.State());
        Assert.Empty(meeting.Strings("permittedTriggers"));
        var again = await scenario.FireAsync(caseId, meetingId, new { trigger = "Reschedule", startsAt = Tomorrow.AddDays(1) });
        var problem = await again.EnsureRuleAsync("TransitionRefused");
        Assert.Equal("Cancelled", problem.GetProperty("currentState").GetString());
        Assert.Empty(problem.Strings("permittedTriggers"));

        var history = await (await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}/history")).JsonAsync();
        Assert.Contains(history.GetProperty("items").EnumerateArray(), e =>
            e.GetProperty("subjectId").GetGuid() == meetingId && e.GetProperty("to").GetString() == "Cancelled"
            && e.GetProperty("reason").GetString() == "Familjen är sjuk");
    }

    [Fact]
    public async Task Reschedule_WithoutTime_WaitsInRescheduled_ThenANewTimeSchedulesItAgain()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", Tomorrow);

        var postponed = await scenario.FireAsync(caseId, meetingId, new { trigger = "Reschedule", reason = "Lokalen upptagen" });
        await postponed.EnsureStatusAsync(HttpStatusCode.OK);
        var waiting = await postponed.JsonAsync();
        Assert.Equal("Rescheduled", waiting.State());
        Assert.Equal(["Schedule"], waiting.Strings("permittedTriggers"));
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Cancel" })).EnsureRuleAsync("TransitionRefused");
        // One vocabulary: a waiting meeting is scheduled again with Schedule, the name the domain and /api/workflows use.
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Reschedule", startsAt = Tomorrow.AddDays(6) })).EnsureRuleAsync("TransitionRefused");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Schedule" })).EnsureFieldErrorsAsync("startsAt");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Schedule", startsAt = Tomorrow, reason = "x" })).EnsureFieldErrorsAsync("reason");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Schedule", startsAt = factory.Clock.GetUtcNow().AddHours(-1) }))
            .EnsureFieldErrorsAsync("startsAt");

        var newTime = Tomorrow.AddDays(6).ToOffset(TimeSpan.FromHours(2)); // any offset; stored as UTC
        var again = await scenario.FireAsync(caseId, meetingId, new { trigger = "Schedule", startsAt = newTime });

        await again.EnsureStatusAsync(HttpStatusCode.OK);
        var meeting = await again.JsonAsync();
        Assert.Equal("Scheduled", meeting.State());
        Assert.Equal(newTime, meeting.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(["Cancel", "Reschedule"], meeting.Strings("permittedTriggers"));
        // A scheduled meeting is not scheduled again: Schedule is refused with the triggers that apply.
        var twice = await scenario.FireAsync(caseId, meetingId, new { trigger = "Schedule", startsAt = newTime.AddDays(1) });
        await twice.EnsureRuleAsync("TransitionRefused");
    }

    [Fact]
    public async Task Reschedule_ScheduledMeetingWithNewTime_MovesItInOneStep()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", Tomorrow);
        var newTime = Tomorrow.AddDays(2);

        var moved = await scenario.FireAsync(caseId, meetingId, new { trigger = "Reschedule", startsAt = newTime, reason = "Krock" });

        await moved.EnsureStatusAsync(HttpStatusCode.OK);
        var meeting = await moved.JsonAsync();
        Assert.Equal("Scheduled", meeting.State());
        Assert.Equal(newTime, meeting.GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task MeetingTransitions_UnknownTriggerOrUnusedField_Is400_AndChangesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var startsAt = Tomorrow;
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", startsAt);

        var unknown = await scenario.FireAsync(caseId, meetingId, new { trigger = "Postpone" });
        var errors = await unknown.EnsureFieldErrorsAsync("trigger");
        Assert.Contains("Hold, ApproveMinutes, Cancel, Reschedule, Schedule", errors.GetProperty("trigger")[0].GetString());
        await (await scenario.FireAsync(caseId, meetingId, new { })).EnsureFieldErrorsAsync("trigger");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Cancel", startsAt = Tomorrow })).EnsureFieldErrorsAsync("startsAt");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "ApproveMinutes", reason = "x" })).EnsureFieldErrorsAsync("reason");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Hold", reason = "x" }))
            .EnsureFieldErrorsAsync("reason", "attendeeUserIds", "youthAttended", "attendingGuardianIds");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "Cancel", minutes = "x" })).EnsureFieldErrorsAsync("minutes");

        var meeting = await scenario.GetMeetingAsync(caseId, meetingId);
        Assert.Equal("Scheduled", meeting.State());
        Assert.Equal(startsAt, meeting.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Null(meeting.GetProperty("minutes").GetString());
    }

    [Fact]
    public async Task ActionPlan_OnHeldNetworkMeeting_SchedulesFirstFollowUpWithAnOpenDeadline_AndRevisingAddsNone()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.GiveValidConsentAsync(caseId);
        var meetingId = await scenario.HeldMeetingAsync(factory, caseId, "Network", "Utkast");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "ApproveMinutes" })).EnsureStatusAsync(HttpStatusCode.OK);
        var coordinator = await scenario.As("samordnare");
        var adoptedAt = factory.Clock.GetUtcNow();
        Assert.DoesNotContain(await factory.OpenDeadlinesAsync(caseId), d => d.Kind == DeadlineKind.FollowUpDue);

        var adopted = await coordinator.Http.PutAsJsonAsync($"/api/cases/{caseId}/action-plan", new { meetingId, goals = "Gå i skolan varje dag" });

        await adopted.EnsureStatusAsync(HttpStatusCode.OK);
        var plan = await adopted.JsonAsync();
        Assert.Equal(meetingId, plan.GetProperty("meetingId").GetGuid());
        Assert.Equal("Gå i skolan varje dag", plan.GetProperty("goals").GetString());
        var detail = await scenario.GetCaseAsync(caseId);
        var followUp = Assert.Single(detail.GetProperty("followUps").EnumerateArray());
        Assert.Equal("Scheduled", followUp.State());
        Assert.Equal(adoptedAt.AddDays(42), followUp.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("Gå i skolan varje dag", detail.GetProperty("actionPlan").GetProperty("goals").GetString());
        var deadline = Assert.Single(await factory.OpenDeadlinesAsync(caseId), d => d.Kind == DeadlineKind.FollowUpDue);
        Assert.Equal(followUp.GetProperty("id").GetGuid(), deadline.SubjectId);
        Assert.Equal(adoptedAt.AddDays(42), deadline.DueAt);
        Assert.Equal(adoptedAt.AddDays(35), deadline.RemindAt);

        var revised = await coordinator.Http.PutAsJsonAsync($"/api/cases/{caseId}/action-plan", new { meetingId, goals = "Gå i skolan och på fritids" });
        await revised.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.String, (await revised.JsonAsync()).GetProperty("revisedAt").ValueKind);
        Assert.Single((await scenario.GetCaseAsync(caseId)).GetProperty("followUps").EnumerateArray());
        Assert.Single(await factory.OpenDeadlinesAsync(caseId), d => d.Kind == DeadlineKind.FollowUpDue);
    }

    [Fact]
    public async Task ActionPlan_OnMappingOrUnheldMeeting_Is409_AndInvalidBodyIs400()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.GiveValidConsentAsync(caseId);
        var mapping = await scenario.HeldMeetingAsync(factory, caseId, "Mapping", "Kartläggning");
        var network = await scenario.ScheduleAsync(caseId, "Network", Tomorrow);
        var coordinator = await scenario.As("samordnare");
        var url = $"/api/cases/{caseId}/action-plan";

        await (await coordinator.Http.PutAsJsonAsync(url, new { meetingId = mapping, goals = "Mål" })).EnsureRuleAsync("ActionPlanNeedsHeldNetworkMeeting");
        await (await coordinator.Http.PutAsJsonAsync(url, new { meetingId = network, goals = "Mål" })).EnsureRuleAsync("ActionPlanNeedsHeldNetworkMeeting");
        await (await coordinator.Http.PutAsJsonAsync(url, new { })).EnsureFieldErrorsAsync("meetingId", "goals");
        await (await coordinator.Http.PutAsJsonAsync(url, new { meetingId = network, goals = "  " })).EnsureFieldErrorsAsync("goals");
        await (await coordinator.Http.PutAsJsonAsync(url, new { meetingId = Guid.NewGuid(), goals = "Mål" })).EnsureStatusAsync(HttpStatusCode.NotFound);

        var detail = await scenario.GetCaseAsync(caseId);
        Assert.False(detail.TryGetProperty("actionPlan", out _));
        Assert.Equal(0, detail.GetProperty("followUps").GetArrayLength());
    }

    [Fact]
    public async Task UpdateMinutes_Empty_Is400()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var meetingId = await scenario.HeldMeetingAsync(factory, caseId, "Mapping", "Första utkast");

        await (await scenario.PutMinutesAsync(caseId, meetingId, " ")).EnsureFieldErrorsAsync("minutes");
        await (await scenario.PutMinutesAsync(caseId, meetingId, null)).EnsureFieldErrorsAsync("minutes");

        Assert.Equal("Första utkast", (await scenario.GetMeetingAsync(caseId, meetingId)).GetProperty("minutes").GetString());
    }

    [Fact]
    public async Task ReadMeetings_ConsentedMemberSeesThem_MemberOutsideConsentGets404()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "polis");
        await scenario.AddMemberAsync(caseId, "fritid");
        await scenario.GiveValidConsentAsync(caseId, ["Polis"], ["Basic", "Police"]);
        var meetingId = await scenario.ScheduleAsync(caseId, "Mapping", Tomorrow);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var laterId = await scenario.ScheduleAsync(caseId, "Network", Tomorrow.AddDays(7), await scenario.UserIdAsync("polis"));
        var police = await scenario.As("polis");
        var leisure = await scenario.As("fritid");

        var page = await (await police.Http.GetAsync($"/api/cases/{caseId}/meetings?pageSize=1&page=2")).JsonAsync();
        Assert.Equal(2, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(laterId, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await (await police.Http.GetAsync($"/api/cases/{caseId}/meetings/{meetingId}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/meetings/{Guid.NewGuid()}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await leisure.Http.GetAsync($"/api/cases/{caseId}/meetings")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await leisure.Http.GetAsync($"/api/cases/{caseId}/meetings/{meetingId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }
}
