using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Cases;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Interventions;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.FollowUps;

public sealed class FollowUpTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task ActionPlan_SchedulesFirstFollowUp_ReadableByMembersTheConsentCovers()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await ActiveCaseWithPlanAsync(scenario, "skola", "polis");
        var plannedAt = factory.Clock.GetUtcNow();

        var list = await (await (await scenario.As("skola")).Http.GetAsync($"/api/cases/{caseId}/follow-ups")).JsonAsync();
        var followUp = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("Scheduled", followUp.GetProperty("state").GetString());
        Assert.Equal(plannedAt.AddDays(42), followUp.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(["Complete", "Cancel"], Triggers(followUp));
        var id = followUp.GetProperty("id").GetGuid();
        await (await (await scenario.As("skola")).Http.GetAsync($"/api/cases/{caseId}/follow-ups/{id}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await (await scenario.As("skola")).Http.GetAsync($"/api/cases/{caseId}/follow-ups/{Guid.NewGuid()}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        // Polis is a member, but the consent does not cover the police.
        var police = await scenario.As("polis");
        await Expect.GetAsync(police, HttpStatusCode.NotFound, $"/api/cases/{caseId}/follow-ups", $"/api/cases/{caseId}/follow-ups/{id}");
    }

    [Fact]
    public async Task Complete_RequiresAnAssessmentPerPlannedOrOngoingIntervention_ThenSchedulesTheNextThreeMonthsLater()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await ActiveCaseWithPlanAsync(scenario, "skola");
        var coordinator = await scenario.As("samordnare");
        var skola = await scenario.UserIdAsync("skola");
        var planned = (await InterventionTests.ProposeAsync(coordinator, caseId, Party.Skola, skola)).GetProperty("id").GetGuid();
        await (await InterventionTests.TransitionAsync(coordinator, caseId, planned, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.OK);
        var proposed = (await InterventionTests.ProposeAsync(coordinator, caseId, Party.Skola, skola)).GetProperty("id").GetGuid();
        var id = await FirstFollowUpIdAsync(coordinator, caseId);

        // Only a proposed insats assessed: the planned one is missing, and named.
        var onlyProposed = await TransitionAsync(coordinator, caseId, id, new
        {
            trigger = "Complete", assessments = new Dictionary<Guid, string> { [proposed] = "Ej påbörjad." }, overallAssessment = "Stabilt.",
        });
        await Expect.FieldErrorAsync(onlyProposed, "assessments");
        var missingErrors = (await onlyProposed.JsonAsync()).GetProperty("errors");
        Assert.True(missingErrors.TryGetProperty($"assessments[{planned}]", out _), "the missing insats is named");
        Assert.False(missingErrors.TryGetProperty($"assessments[{proposed}]", out _));
        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new
        {
            trigger = "Complete", assessments = new Dictionary<Guid, string> { [planned] = "Bra.", [Guid.NewGuid()] = "Okänd." }, overallAssessment = "Stabilt.",
        }), "assessments");
        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new
        {
            trigger = "Complete", assessments = new Dictionary<Guid, string> { [planned] = "Bra." },
        }), "overallAssessment");
        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new
        {
            trigger = "Complete", assessments = new { notAGuid = "Bra." }, overallAssessment = "Stabilt.",
        }), "assessments.notAGuid");
        var unchanged = await ListAsync(coordinator, caseId);
        Assert.Equal("Scheduled", Assert.Single(unchanged).GetProperty("state").GetString());

        var completedAt = factory.Clock.GetUtcNow();
        var done = await TransitionAsync(coordinator, caseId, id, new
        {
            trigger = "Complete", assessments = new Dictionary<Guid, string> { [planned] = "Mentorn träffar ungdomen varje vecka." },
            overallAssessment = "Skolnärvaron har ökat.",
        });
        await done.EnsureStatusAsync(HttpStatusCode.OK);
        var view = await done.JsonAsync();
        Assert.Equal("Done", view.GetProperty("state").GetString());
        Assert.Equal("Skolnärvaron har ökat.", view.GetProperty("overallAssessment").GetString());
        Assert.Equal(completedAt, view.GetProperty("doneAt").GetDateTimeOffset());
        var assessment = Assert.Single(view.GetProperty("assessments").EnumerateArray());
        Assert.Equal(planned, assessment.GetProperty("interventionId").GetGuid());

        var followUps = await ListAsync(coordinator, caseId);
        Assert.Equal(2, followUps.Count);
        var next = Assert.Single(followUps, f => f.GetProperty("id").GetGuid() != id);
        Assert.Equal("Scheduled", next.GetProperty("state").GetString());
        Assert.Equal(completedAt.AddMonths(3), next.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("skola")]
    [InlineData("socialsekreterare")]
    public async Task Transition_NotCoordinator_Is403AndChangesNothing(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await ActiveCaseWithPlanAsync(scenario, name);
        var id = await FirstFollowUpIdAsync(await scenario.As("samordnare"), caseId);
        var response = await TransitionAsync(await scenario.As(name), caseId, id, new { trigger = "Cancel" });
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Scheduled", Assert.Single(await ListAsync(await scenario.As("samordnare"), caseId)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Cancelled_CannotBeCompleted_Is409WithStateAndPermittedTriggers_AndOverdueIsNotAClientTrigger()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await ActiveCaseWithPlanAsync(scenario, "skola");
        var coordinator = await scenario.As("samordnare");
        var id = await FirstFollowUpIdAsync(coordinator, caseId);

        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new { trigger = "MarkOverdue" }), "trigger");
        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new { }), "trigger");
        await (await TransitionAsync(coordinator, caseId, Guid.NewGuid(), new { trigger = "Cancel" })).EnsureStatusAsync(HttpStatusCode.NotFound);

        var cancelled = await TransitionAsync(coordinator, caseId, id, new { trigger = "Cancel", reason = "Ersätts av ett extra möte." });
        await cancelled.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled", (await cancelled.JsonAsync()).GetProperty("state").GetString());

        var refused = await TransitionAsync(coordinator, caseId, id, new { trigger = "Complete", overallAssessment = "Sent påtänkt." });
        await refused.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await refused.JsonAsync();
        Assert.Equal("Cancelled", problem.GetProperty("currentState").GetString());
        Assert.Empty(problem.GetProperty("permittedTriggers").EnumerateArray());
    }

    // ---- Decision 11: PUT …/follow-ups/{followUpId}/assessments/{interventionId} ---------------------------------

    [Fact]
    public async Task RecordAssessment_TheSchoolMemberRecordsAndReplacesItsInsats_Encrypted_Logged_AndKeptByTheSamordnaresComplete()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await ActiveCaseWithPlanAsync(scenario, "skola");
        var coordinator = await scenario.As("samordnare");
        var school = await scenario.As("skola");
        var insats = (await InterventionTests.ProposeAsync(coordinator, caseId, Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();
        await (await InterventionTests.TransitionAsync(coordinator, caseId, insats, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.OK);
        var id = await FirstFollowUpIdAsync(coordinator, caseId);
        var secret = "Närvaron har ökat " + Guid.NewGuid().ToString("N")[..8];

        await (await AssessAsync(school, caseId, id, insats, "Ett första utkast.")).EnsureStatusAsync(HttpStatusCode.OK);
        var trail = new Audit.AuditTrail(factory);
        await trail.MarkAsync();
        var replaced = await AssessAsync(school, caseId, id, insats, secret);
        await replaced.EnsureStatusAsync(HttpStatusCode.OK);
        var view = await replaced.JsonAsync();
        Assert.Equal("Scheduled", view.GetProperty("state").GetString());
        var recorded = Assert.Single(view.GetProperty("assessments").EnumerateArray());
        Assert.Equal((insats, secret), (recorded.GetProperty("interventionId").GetGuid(), recorded.GetProperty("assessment").GetString()));
        var (events, transitions, saved) = await trail.NewAsync();
        Assert.Equal([new Audit.LoggedEvent("Change", "Allowed", caseId)], events);
        Assert.Equal((0L, true), (transitions, saved));
        Assert.DoesNotContain(await new RawDatabase(factory).AllValuesAsync(), v => v.Value.Contains(secret, StringComparison.Ordinal));

        // The samordnare completes with the overall assessment only: the school's assessment is the insats's.
        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new { trigger = "Complete" }), "overallAssessment");
        var done = await TransitionAsync(coordinator, caseId, id, new { trigger = "Complete", overallAssessment = "Stabilt." });
        await done.EnsureStatusAsync(HttpStatusCode.OK);
        var doneView = await done.JsonAsync();
        Assert.Equal("Done", doneView.GetProperty("state").GetString());
        Assert.Equal(secret, Assert.Single(doneView.GetProperty("assessments").EnumerateArray()).GetProperty("assessment").GetString());

        // After Done it is read-only, for the school and the samordnare alike.
        var refused = await AssessAsync(school, caseId, id, insats, "Ändrat i efterhand.");
        await refused.EnsureStatusAsync(HttpStatusCode.Conflict);
        var afterwards = await (await school.Http.GetAsync($"/api/cases/{caseId}/follow-ups/{id}")).JsonAsync();
        Assert.Equal(secret, Assert.Single(afterwards.GetProperty("assessments").EnumerateArray()).GetProperty("assessment").GetString());
    }

    [Fact]
    public async Task RecordAssessment_IsRefused_ForAnotherParty_ANonMember_APoliceMember_AForeignInsats_BadText_AndAWithdrawnConsent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        // Every sign-in moves the test clock a TOTP step, a user's first in this factory two, and the set-up below moves it
        // more: everyone this test acts as signs in first, and signs in again once the set-up is done (below), so that no
        // token passes its ten minutes midway (a 401) — whichever test of the class ran before this one.
        foreach (var name in new[] { "skola", "polis", "fritid", "socialsekreterare", "samordnare" }) await scenario.As(name);
        var caseId = await scenario.ActiveCaseAsync(["skola", "polis", "fritid"], [Party.Skola, Party.Socialtjanst, Party.Polis, Party.Fritid],
            [InformationCategory.Basic, InformationCategory.School, InformationCategory.Police]);
        await scenario.AdoptActionPlanAsync(factory, caseId);
        var coordinator = await scenario.As("samordnare");
        // A fritid insats is a joint record (Basic): every member sees it, only fritid (and its responsible person) assesses it.
        var insats = (await InterventionTests.ProposeAsync(coordinator, caseId, Party.Fritid, await scenario.UserIdAsync("fritid"))).GetProperty("id").GetGuid();
        var id = await FirstFollowUpIdAsync(coordinator, caseId);
        var otherCase = await ActiveCaseWithPlanAsync(scenario, "fritid");
        var foreignInsats = (await InterventionTests.ProposeAsync(coordinator, otherCase, Party.Fritid, await scenario.UserIdAsync("fritid"))).GetProperty("id").GetGuid();
        await scenario.RenewSessionsAsync();

        foreach (var name in new[] { "skola", "polis", "samordnare" })
            await (await AssessAsync(await scenario.As(name), caseId, id, insats, "Bra.")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        // Not a member of the team: the case does not exist for socialtjänst here.
        await (await AssessAsync(await scenario.As("socialsekreterare"), caseId, id, insats, "Bra.")).EnsureStatusAsync(HttpStatusCode.NotFound);

        var leisure = await scenario.As("fritid");
        await (await AssessAsync(leisure, caseId, id, foreignInsats, "Bra.")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await AssessAsync(leisure, caseId, id, Guid.NewGuid(), "Bra.")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await AssessAsync(leisure, caseId, Guid.NewGuid(), insats, "Bra.")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await AssessAsync(leisure, caseId, await FirstFollowUpIdAsync(coordinator, otherCase), insats, "Bra.")).EnsureStatusAsync(HttpStatusCode.NotFound);
        foreach (var text in new[] { "", "   ", new string('a', TextLimits.Assessment + 1) })
            await Expect.FieldErrorAsync(await AssessAsync(leisure, caseId, id, insats, text), "assessment");
        await Expect.FieldErrorAsync(await leisure.Http.PutAsJsonAsync($"/api/cases/{caseId}/follow-ups/{id}/assessments/{insats}", new { }), "assessment");
        Assert.Empty((await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/follow-ups/{id}")).JsonAsync()).GetProperty("assessments").EnumerateArray());

        await (await AssessAsync(leisure, caseId, id, insats, "Tränar två gånger i veckan.")).EnsureStatusAsync(HttpStatusCode.OK);

        // Once a signatory withdraws, fritid loses the case: 404, and nothing changes.
        var consentId = (await scenario.GetCaseAsync(caseId)).GetProperty("consents").EnumerateArray().Single().GetProperty("id").GetGuid();
        var guardianId = (await scenario.GuardianIdsAsync(caseId)).First();
        await (await scenario.ConsentTransitionAsync(caseId, consentId,
            new { trigger = "Withdraw", signatory = "Guardian", guardianId, reason = "Vill inte längre." })).EnsureStatusAsync(HttpStatusCode.OK);
        await (await AssessAsync(leisure, caseId, id, insats, "Efter återkallelsen.")).EnsureStatusAsync(HttpStatusCode.NotFound);
        var kept = await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/follow-ups/{id}")).JsonAsync();
        Assert.Equal("Tränar två gånger i veckan.", Assert.Single(kept.GetProperty("assessments").EnumerateArray()).GetProperty("assessment").GetString());
    }

    private static Task<HttpResponseMessage> AssessAsync(SspfClient client, Guid caseId, Guid followUpId, Guid interventionId, string assessment) =>
        client.Http.PutAsJsonAsync($"/api/cases/{caseId}/follow-ups/{followUpId}/assessments/{interventionId}", new { assessment });

    private async Task<Guid> ActiveCaseWithPlanAsync(CaseScenario scenario, params string[] members)
    {
        var caseId = await scenario.ActiveCaseAsync(members, [Party.Skola, Party.Socialtjanst],
            [InformationCategory.Basic, InformationCategory.School]);
        await scenario.AdoptActionPlanAsync(factory, caseId);
        return caseId;
    }

    private static async Task<List<JsonElement>> ListAsync(SspfClient client, Guid caseId)
    {
        var response = await client.Http.GetAsync($"/api/cases/{caseId}/follow-ups");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    private static async Task<Guid> FirstFollowUpIdAsync(SspfClient client, Guid caseId) =>
        Assert.Single(await ListAsync(client, caseId)).GetProperty("id").GetGuid();

    private static Task<HttpResponseMessage> TransitionAsync(SspfClient client, Guid caseId, Guid followUpId, object body) =>
        client.Http.PostAsJsonAsync($"/api/cases/{caseId}/follow-ups/{followUpId}/transitions", body);

    private static IEnumerable<string?> Triggers(JsonElement view) =>
        view.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString());
}
