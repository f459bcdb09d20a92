using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.ConcernReports;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Meetings;
using SspfSamordning.Api.Tests.Reminders;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Tests.Decisions;

/// <summary>The decisions of issue 16 through the HTTP API (docs/domain-rules.md names each test).</summary>
public sealed class DomainDecisionApiTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    // ---- Decision 1 ---------------------------------------------------------------------------

    [Fact]
    public async Task ViolenceReport_GetsItsProtectionAssessmentDeadlineToo_AndCanBeAssessedOnce()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var at = await ConcernReportSteps.ArriveAtAsync(factory, scenario, DayOfWeek.Tuesday, new TimeOnly(10, 0), "samordnare", "skola", "socialsekreterare");
        var reportId = await ConcernReportSteps.FileAsync(scenario, "skola", violence: true);

        var detail = await ConcernReportSteps.DetailAsync(scenario, reportId);
        Assert.Equal("InvestigationOpened", detail.Str("state"));
        var protection = Assert.Single(detail.GetProperty("openDeadlines").EnumerateArray(), d => d.Str("kind") == "ProtectionAssessment");
        var due = SspfSamordning.Domain.ConcernReports.ConcernReport.ProtectionAssessmentDue(at, CaseRules.Default);
        Assert.True(due - at < TimeSpan.FromDays(1) || !SwedishCalendar.IsWorkingDay(SwedishCalendar.DateOf(at)), "due the day it arrives");
        Assert.Equal(due, protection.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Contains("AssessProtection", detail.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));

        var assessed = await ConcernReportSteps.TransitionAsync(scenario, reportId, new { trigger = "AssessProtection", assessment = "Inget akut skyddsbehov.", immediateProtectionNeeded = false });
        await assessed.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("InvestigationOpened", (await assessed.JsonAsync()).Str("state"));
        var after = await ConcernReportSteps.DetailAsync(scenario, reportId);
        Assert.DoesNotContain(after.GetProperty("openDeadlines").EnumerateArray(), d => d.Str("kind") == "ProtectionAssessment");
        Assert.Equal("Inget akut skyddsbehov.", after.Str("protectionAssessment"));

        var again = await ConcernReportSteps.TransitionAsync(scenario, reportId, new { trigger = "AssessProtection", assessment = "Ändrad.", immediateProtectionNeeded = true });
        await again.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("Inget akut skyddsbehov.", (await ConcernReportSteps.DetailAsync(scenario, reportId)).Str("protectionAssessment"));
    }

    // ---- Decision 3 ---------------------------------------------------------------------------

    [Fact]
    public async Task NarrowingConsent_SettingTheActionPlan_AndChangingMinutes_AreHistoryEventsWithWhoAndWhen()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync();
        var coordinator = await scenario.UserIdAsync("samordnare");
        var meetingId = await scenario.HeldMeetingAsync(factory, caseId, "Network", "Utkast");

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var minutesAt = factory.Clock.GetUtcNow();
        await (await scenario.PutMinutesAsync(caseId, meetingId, "Nytt utkast med beslut.")).EnsureStatusAsync(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var adoptedAt = factory.Clock.GetUtcNow();
        await (await scenario.PutActionPlanAsync(caseId, meetingId, "Gå i skolan.")).EnsureStatusAsync(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var revisedAt = factory.Clock.GetUtcNow();
        await (await scenario.PutActionPlanAsync(caseId, meetingId, "Gå i skolan varje dag.")).EnsureStatusAsync(HttpStatusCode.OK);

        var consentId = (await scenario.ItemsAsync($"/api/cases/{caseId}/consents")).Single().GetProperty("id").GetGuid();
        var guardianId = (await scenario.GuardianIdsAsync(caseId))[0];
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var narrowedAt = factory.Clock.GetUtcNow();
        await (await scenario.ConsentTransitionAsync(caseId, consentId,
            new { trigger = "NarrowScope", signatory = "Guardian", guardianId, parties = new[] { "Skola", "Socialtjanst" }, categories = new[] { "Basic", "School" } }))
            .EnsureStatusAsync(HttpStatusCode.OK);

        var history = await scenario.HistoryAsync(caseId);
        (string, Guid, string, Guid, DateTimeOffset) Row(JsonElement e) =>
            (e.Str("workflow"), e.GetProperty("subjectId").GetGuid(), e.Str("trigger"), e.GetProperty("actorUserId").GetGuid(), e.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(
            [("Meeting", meetingId, "UpdateMinutes", coordinator, minutesAt), ("Meeting", meetingId, "SetActionPlan", coordinator, adoptedAt),
             ("Meeting", meetingId, "SetActionPlan", coordinator, revisedAt), ("Consent", consentId, "NarrowScope", coordinator, narrowedAt)],
            history.Where(e => e.Str("trigger") is "UpdateMinutes" or "SetActionPlan" or "NarrowScope").Select(Row));
        // The minutes and the goals are never copied into the history.
        Assert.All(history.Where(e => e.Str("trigger") is "UpdateMinutes" or "SetActionPlan"), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("reason").ValueKind));
        // A joint record's events are seen by the team (Basic), here the school member.
        Assert.Equal(3, (await scenario.HistoryAsync(caseId, "skola")).Count(e => e.Str("workflow") == "Meeting" && e.Str("trigger") != "Hold"));
        // The meeting's client triggers stay what its transitions endpoint accepts.
        Assert.DoesNotContain("UpdateMinutes", (await scenario.GetMeetingAsync(caseId, meetingId)).GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task RefusedMinutesChange_RecordsNoHistoryEvent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync();
        var meetingId = await scenario.HeldMeetingAsync(factory, caseId, "Network", "Utkast");
        await (await scenario.FireAsync(caseId, meetingId, new { trigger = "ApproveMinutes" })).EnsureStatusAsync(HttpStatusCode.OK);

        await (await scenario.PutMinutesAsync(caseId, meetingId, "Ändrat i efterhand")).EnsureStatusAsync(HttpStatusCode.Conflict);

        Assert.DoesNotContain(await scenario.HistoryAsync(caseId), e => e.Str("trigger") == "UpdateMinutes");
        Assert.Equal("Utkast", (await scenario.GetMeetingAsync(caseId, meetingId)).Str("minutes"));
    }

    // ---- Decision 4 ---------------------------------------------------------------------------

    [Theory]
    [InlineData("Proposed")]
    [InlineData("Planned")]
    [InlineData("Ongoing")]
    public async Task AnInsats_IsCancelledWithAReason_WhileProposedPlannedOrOngoing(string state)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync();
        var id = await scenario.ProposeAsync(caseId, "Skola", "skola");
        if (state != "Proposed") await (await scenario.InterventionTransitionAsync(caseId, id, new { trigger = "Plan" }, "skola")).EnsureStatusAsync(HttpStatusCode.OK);
        if (state == "Ongoing") await (await scenario.InterventionTransitionAsync(caseId, id, new { trigger = "Start" }, "skola")).EnsureStatusAsync(HttpStatusCode.OK);

        var withoutReason = await scenario.InterventionTransitionAsync(caseId, id, new { trigger = "Cancel" }, "skola");
        await withoutReason.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await withoutReason.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        // Another party's member may not cancel the school's insats.
        await (await scenario.InterventionTransitionAsync(caseId, id, new { trigger = "Cancel", reason = "x" }, "fritid")).EnsureStatusAsync(HttpStatusCode.Forbidden);

        var cancelled = await scenario.InterventionTransitionAsync(caseId, id, new { trigger = "Cancel", reason = "Eleven har bytt skola." }, "skola");
        await cancelled.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled", (await cancelled.JsonAsync()).Str("state"));
        var skola = await scenario.UserIdAsync("skola");
        var evt = (await scenario.HistoryAsync(caseId)).Last(e => e.GetProperty("subjectId").GetGuid() == id);
        Assert.Equal((state, "Cancelled", "Cancel", "Eleven har bytt skola.", skola),
            (evt.Str("from"), evt.Str("to"), evt.Str("trigger"), evt.Str("reason"), evt.GetProperty("actorUserId").GetGuid()));

        var twice = await scenario.InterventionTransitionAsync(caseId, id, new { trigger = "Cancel", reason = "Igen" }, "skola");
        await twice.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("Cancelled", (await twice.JsonAsync()).Str("currentState"));
    }

    // ---- Decision 5 ---------------------------------------------------------------------------

    [Fact]
    public async Task ClosingTheCase_CancelsAnOverdueFollowUpAndEveryReminder()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync();
        await scenario.AdoptActionPlanAsync(factory, caseId);
        var followUp = Assert.Single(await scenario.ItemsAsync($"/api/cases/{caseId}/follow-ups"));
        factory.Clock.Set(followUp.GetProperty("dueAt").GetDateTimeOffset().AddHours(1));
        await factory.DispatchAsync(TestContext.Current.CancellationToken);
        await scenario.RenewSessionsAsync();
        Assert.Equal("Overdue", Assert.Single(await scenario.ItemsAsync($"/api/cases/{caseId}/follow-ups")).Str("state"));
        Assert.NotEmpty(await factory.OpenDeadlinesAsync(caseId));

        var closedAt = factory.Clock.GetUtcNow();
        await (await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "GoalsReached" }))
            .EnsureStatusAsync(HttpStatusCode.OK);

        var cancelled = Assert.Single(await scenario.ItemsAsync($"/api/cases/{caseId}/follow-ups"));
        Assert.Equal("Cancelled", cancelled.Str("state"));
        Assert.Empty(cancelled.GetProperty("permittedTriggers").EnumerateArray());
        var evt = (await scenario.HistoryAsync(caseId)).Last(e => e.GetProperty("subjectId").GetGuid() == followUp.GetProperty("id").GetGuid());
        Assert.Equal(("Overdue", "Cancelled", "CancelWithCase", FollowUp.CaseClosedReason, closedAt),
            (evt.Str("from"), evt.Str("to"), evt.Str("trigger"), evt.Str("reason"), evt.GetProperty("at").GetDateTimeOffset()));
        Assert.Empty(await factory.OpenDeadlinesAsync(caseId));
        factory.Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, (await factory.DispatchAsync(TestContext.Current.CancellationToken)).Steps);
    }

    [Fact]
    public async Task FollowUpCancelWithCase_IsNotAClientTrigger()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync();
        await scenario.AdoptActionPlanAsync(factory, caseId);
        var followUpId = Assert.Single(await scenario.ItemsAsync($"/api/cases/{caseId}/follow-ups")).GetProperty("id").GetGuid();

        var response = await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/follow-ups/{followUpId}/transitions", new { trigger = "CancelWithCase" });

        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Scheduled", Assert.Single(await scenario.ItemsAsync($"/api/cases/{caseId}/follow-ups")).Str("state"));
    }

    // ---- Decision 6 ---------------------------------------------------------------------------

    [Fact]
    public async Task TheCoordinator_CannotPassADecisionReferenceWhenProposing_AndNothingChanges()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync();
        var social = await scenario.UserIdAsync("socialsekreterare");

        var response = await scenario.ProposeResponseAsync(caseId, new
        {
            type = "ContactPerson", ownerParty = "Socialtjanst", responsibleUserId = social, goal = "Kontaktperson varje vecka.", isBistand = true,
            decisionReference = "SN-2026-17",
        });

        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var problem = await response.JsonAsync();
        Assert.Contains("socialtjänsten", problem.GetProperty("errors").GetProperty("decisionReference")[0].GetString());
        Assert.Empty(await scenario.ItemsAsync($"/api/cases/{caseId}/interventions"));

        // Proposed without one, socialtjänst records it afterwards; the coordinator still cannot.
        var id = (await (await scenario.ProposeResponseAsync(caseId, new
        {
            type = "ContactPerson", ownerParty = "Socialtjanst", responsibleUserId = social, goal = "Kontaktperson varje vecka.", isBistand = true,
        })).JsonAsync()).GetProperty("id").GetGuid();
        var url = $"/api/cases/{caseId}/interventions/{id}/decision-reference";
        await (await (await scenario.As("samordnare")).Http.PutAsJsonAsync(url, new { decisionReference = "SN-1" })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await (await scenario.As("socialsekreterare")).Http.PutAsJsonAsync(url, new { decisionReference = "SN-1" })).EnsureStatusAsync(HttpStatusCode.OK);
    }

    // ---- Decision 9 ---------------------------------------------------------------------------

    [Fact]
    public async Task JointRecordsAreSharedWithTheTeam_AnInsatsAndItsAssessmentOnlyWithItsOwnersCategory()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        // The consent shares Basic and School with every party, not social services' notes.
        var caseId = await scenario.ActiveCaseAsync(["Basic", "School"]);
        var meetingId = await scenario.AdoptActionPlanAsync(factory, caseId);
        var schoolInsats = await scenario.ProposeAsync(caseId, "Skola", "skola");
        var socialInsats = await scenario.ProposeAsync(caseId, "Socialtjanst", "socialsekreterare");
        var followUpId = Assert.Single(await scenario.ItemsAsync($"/api/cases/{caseId}/follow-ups")).GetProperty("id").GetGuid();
        await (await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/follow-ups/{followUpId}/transitions", new
        {
            trigger = "Complete", overallAssessment = "Helheten går framåt.",
            assessments = new Dictionary<Guid, string> { [schoolInsats] = "Skolans insats: bra närvaro.", [socialInsats] = "Socialtjänstens insats: kontakt etablerad." },
        })).EnsureStatusAsync(HttpStatusCode.OK);

        foreach (var (name, seesSchool, seesSocial) in new[] { ("polis", true, false), ("skola", true, false), ("fritid", true, false), ("socialsekreterare", true, true) })
        {
            var detail = await scenario.GetCaseAsync(caseId, name);
            // Joint records: minutes, action plan, the follow-up and its assessment of the case as a whole.
            Assert.Equal("Protokollutkast", detail.GetProperty("meetings").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == meetingId).Str("minutes"));
            Assert.Equal("Ungdomen går i skolan varje dag.", detail.GetProperty("actionPlan").Str("goals"));
            var done = detail.GetProperty("followUps").EnumerateArray().Single(f => f.GetProperty("id").GetGuid() == followUpId);
            Assert.Equal("Helheten går framåt.", done.Str("overallAssessment"));
            // An insats and its own assessment: the owner's category.
            var insatser = detail.GetProperty("interventions").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
            var assessed = done.GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("interventionId").GetGuid()).ToList();
            Assert.Equal(seesSchool, insatser.Contains(schoolInsats));
            Assert.Equal(seesSchool, assessed.Contains(schoolInsats));
            Assert.Equal(seesSocial, insatser.Contains(socialInsats));
            Assert.Equal(seesSocial, assessed.Contains(socialInsats));
            var viaSection = (await scenario.ItemsAsync($"/api/cases/{caseId}/follow-ups", name)).Single(f => f.GetProperty("id").GetGuid() == followUpId);
            Assert.Equal(assessed, viaSection.GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("interventionId").GetGuid()));
            var single = await (await scenario.As(name)).Http.GetAsync($"/api/cases/{caseId}/follow-ups/{followUpId}");
            Assert.Equal(assessed, (await single.JsonAsync()).GetProperty("assessments").EnumerateArray().Select(a => a.GetProperty("interventionId").GetGuid()));
            Assert.Equal(seesSocial ? HttpStatusCode.OK : HttpStatusCode.NotFound,
                (await (await scenario.As(name)).Http.GetAsync($"/api/cases/{caseId}/interventions/{socialInsats}")).StatusCode);
        }
    }
}
