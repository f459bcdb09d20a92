using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Meetings;

/// <summary>POST /api/cases/{id}/meetings with <c>held</c>: a meeting that already took place, recorded up to 30 days back.</summary>
public sealed class RecordHeldMeetingTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private DateTimeOffset DaysAgo(double days) => factory.Clock.GetUtcNow().AddDays(-days);

    private static async Task<HttpResponseMessage> RecordAsync(CaseScenario scenario, Guid caseId, string kind, DateTimeOffset startsAt, object held) =>
        await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings", new { kind, startsAt, location = "Fritidsgården", held });

    private static object Held(Guid[]? attendees = null, Guid[]? guardians = null, string? draftMinutes = "Vi gick igenom läget.") =>
        new { attendeeUserIds = attendees ?? [], youthAttended = true, attendingGuardianIds = guardians ?? [], draftMinutes };

    private async Task<(CaseScenario Scenario, Guid CaseId, Guid School)> ActiveCaseWithSchoolAsync()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "skola");
        await scenario.AddMemberAsync(caseId, "fritid");
        await scenario.GiveValidConsentAsync(caseId, ["Skola"], ["Basic"]);
        return (scenario, caseId, await scenario.UserIdAsync("skola"));
    }

    private static async Task<int> MeetingCountAsync(CaseScenario scenario, Guid caseId) =>
        (await (await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}/meetings")).JsonAsync()).GetProperty("totalCount").GetInt32();

    [Fact]
    public async Task RecordHeld_NetworkMeetingDaysBack_IsHeldAtItsTime_MinutesDue_AndTheActionPlanCanBeAdopted()
    {
        var (scenario, caseId, school) = await ActiveCaseWithSchoolAsync();
        var guardian = (await scenario.GuardianIdsAsync(caseId))[0];
        var startsAt = DaysAgo(3);

        var response = await RecordAsync(scenario, caseId, "Network", startsAt, Held([school], [guardian]));

        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var meeting = await response.JsonAsync();
        var meetingId = meeting.GetProperty("id").GetGuid();
        Assert.Equal("Held", meeting.State());
        Assert.Equal(startsAt, meeting.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(startsAt, meeting.GetProperty("heldAt").GetDateTimeOffset());
        Assert.Equal([school], meeting.GetProperty("attendeeUserIds").EnumerateArray().Select(i => i.GetGuid()));
        Assert.Equal([school], meeting.GetProperty("inviteeUserIds").EnumerateArray().Select(i => i.GetGuid()));
        Assert.Equal([guardian], meeting.GetProperty("attendingGuardianIds").EnumerateArray().Select(i => i.GetGuid()));
        Assert.Equal(["ApproveMinutes"], meeting.Strings("permittedTriggers"));

        var deadlines = await factory.OpenDeadlinesAsync(caseId);
        var approval = Assert.Single(deadlines, d => d.SubjectId == meetingId);
        Assert.Equal(DeadlineKind.MinutesApproval, approval.Kind);

        var history = await (await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}/history")).JsonAsync();
        Assert.Contains(history.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("workflow").GetString() == "Meeting" && e.GetProperty("trigger").GetString() == "Hold");

        var plan = await (await scenario.As("samordnare")).Http.PutAsJsonAsync($"/api/cases/{caseId}/action-plan", new { meetingId, goals = "Skolnärvaro." });
        await plan.EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RecordHeld_OutsideTheWindow_OrInTheFuture_Is400_AndCreatesNothing()
    {
        var (scenario, caseId, _) = await ActiveCaseWithSchoolAsync();

        await (await RecordAsync(scenario, caseId, "Mapping", DaysAgo(30.01), Held())).EnsureFieldErrorsAsync("startsAt");
        await (await RecordAsync(scenario, caseId, "Mapping", DaysAgo(-0.01), Held())).EnsureFieldErrorsAsync("startsAt");
        Assert.Equal(0, await MeetingCountAsync(scenario, caseId));

        await (await RecordAsync(scenario, caseId, "Mapping", DaysAgo(29.99), Held(draftMinutes: null))).EnsureStatusAsync(HttpStatusCode.Created);
        Assert.Equal(1, await MeetingCountAsync(scenario, caseId));
    }

    [Fact]
    public async Task RecordHeld_AttendeeOutsideConsentOrCase_GuardianOfAnotherCase_OrNetworkBeforeActive_IsRefused()
    {
        var (scenario, caseId, _) = await ActiveCaseWithSchoolAsync();
        await (await RecordAsync(scenario, caseId, "Network", DaysAgo(1), Held([await scenario.UserIdAsync("fritid")]))).EnsureRuleAsync("InviteeOutsideConsent");
        await (await RecordAsync(scenario, caseId, "Network", DaysAgo(1), Held([await scenario.UserIdAsync("polis")]))).EnsureRuleAsync("InviteeNotMember");
        var other = await scenario.OpenCaseAsync(age: 15);
        var foreignGuardian = (await scenario.GuardianIdsAsync(other))[0];
        await (await RecordAsync(scenario, caseId, "Network", DaysAgo(1), Held(guardians: [foreignGuardian]))).EnsureFieldErrorsAsync("attendingGuardianIds");
        Assert.Equal(0, await MeetingCountAsync(scenario, caseId));

        await (await RecordAsync(scenario, other, "Network", DaysAgo(1), Held())).EnsureRuleAsync("CaseNotActive");
        await (await RecordAsync(scenario, other, "Mapping", DaysAgo(1), Held())).EnsureStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task RecordHeld_IncompleteOrMixedBody_Is400NamingTheFields()
    {
        var (scenario, caseId, school) = await ActiveCaseWithSchoolAsync();
        var coordinator = await scenario.As("samordnare");
        var url = $"/api/cases/{caseId}/meetings";

        await (await coordinator.Http.PostAsJsonAsync(url, new { kind = "Mapping", startsAt = DaysAgo(1), held = new { } }))
            .EnsureFieldErrorsAsync("held.attendeeUserIds", "held.youthAttended", "held.attendingGuardianIds");
        await (await coordinator.Http.PostAsJsonAsync(url, new { kind = "Mapping", startsAt = DaysAgo(1), inviteeUserIds = new[] { school }, held = Held() }))
            .EnsureFieldErrorsAsync("inviteeUserIds");
        Assert.Equal(0, await MeetingCountAsync(scenario, caseId));
    }

    [Fact]
    public async Task RecordHeld_ByANonCoordinatorMember_Is403()
    {
        var (scenario, caseId, _) = await ActiveCaseWithSchoolAsync();
        var response = await (await scenario.As("skola")).Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings",
            new { kind = "Mapping", startsAt = DaysAgo(1), held = Held() });
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await MeetingCountAsync(scenario, caseId));
    }
}
