using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Cases;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Interventions;

public sealed class InterventionTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private static readonly InformationCategory[] SchoolShare = [InformationCategory.Basic, InformationCategory.School];

    [Fact]
    public async Task Propose_AsCoordinator_Is201WithProposedIntervention_AndListedPaged()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola"], [Party.Skola], SchoolShare);
        var coordinator = await scenario.As("samordnare");

        var response = await ProposeResponseAsync(coordinator, caseId, Party.Skola, await scenario.UserIdAsync("skola"));
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var created = await response.JsonAsync();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/cases/{caseId}/interventions/{id}", response.Headers.Location?.ToString());
        Assert.Equal("Proposed", created.GetProperty("state").GetString());
        Assert.Equal(["Plan", "Cancel"], Triggers(created));
        var second = (await ProposeAsync(coordinator, caseId, Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();

        var paged = new List<Guid>();
        foreach (var number in new[] { 1, 2 })
        {
            var page = await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/interventions?page={number}&pageSize=1")).JsonAsync();
            Assert.Equal(2, page.GetProperty("totalCount").GetInt32());
            paged.Add(Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        }
        Assert.Equal(new HashSet<Guid> { id, second }, paged.ToHashSet());
        await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/interventions?page=0")).EnsureStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Propose_InvalidBody_Is400WithFieldErrorsAndCreatesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola"], [Party.Skola], SchoolShare);
        var coordinator = await scenario.As("samordnare");
        var url = $"/api/cases/{caseId}/interventions";
        var skola = await scenario.UserIdAsync("skola");

        var missing = await coordinator.Http.PostAsJsonAsync(url, new { goal = " " });
        await missing.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var errors = (await missing.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "type", "ownerParty", "responsibleUserId", "goal" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        await Expect.FieldErrorAsync(await coordinator.Http.PostAsJsonAsync(url, new
        {
            type = "Mentor", ownerParty = "Skola", responsibleUserId = skola, goal = "Mål", isBistand = true,
        }), "isBistand");
        await Expect.FieldErrorAsync(await coordinator.Http.PostAsJsonAsync(url, new
        {
            type = "Mentor", ownerParty = "Skola", responsibleUserId = skola, goal = "Mål", startDate = "2026-12-01", plannedEndDate = "2026-11-01",
        }), "plannedEndDate");
        await Expect.FieldErrorAsync(await coordinator.Http.PostAsJsonAsync(url, new
        {
            type = "Mentor", ownerParty = "Skola", responsibleUserId = skola, goal = "Mål", state = "Ongoing",
        }), "state");
        await Expect.FieldErrorAsync(await coordinator.Http.PostAsJsonAsync(url, new
        {
            type = "Trollkarl", ownerParty = "Skola", responsibleUserId = skola, goal = "Mål",
        }), "type");

        var list = await (await coordinator.Http.GetAsync(url)).JsonAsync();
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Propose_ResponsibleNotMember_Is409_AndCaseNotActive_Is409()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola"], [Party.Skola], SchoolShare);
        var coordinator = await scenario.As("samordnare");

        var notMember = await ProposeResponseAsync(coordinator, caseId, Party.Fritid, await scenario.UserIdAsync("fritid"));
        await notMember.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("ResponsibleNotMember", (await notMember.JsonAsync()).GetProperty("code").GetString());

        var opened = await scenario.OpenCaseAsync();
        var notActive = await ProposeResponseAsync(coordinator, opened, Party.Annan, await scenario.UserIdAsync("samordnare"));
        await notActive.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("CaseNotActive", (await notActive.JsonAsync()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("socialsekreterare")]
    [InlineData("skola")]
    public async Task Propose_NotCoordinator_Is403(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync([name], [Party.Skola], SchoolShare);
        var response = await ProposeResponseAsync(await scenario.As(name), caseId, Party.Skola, await scenario.UserIdAsync(name));
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bistand_CannotBePlannedWithoutDecisionReference_UntilSocialServicesSetsIt()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["socialsekreterare", "skola"], [Party.Skola], SchoolShare);
        var coordinator = await scenario.As("samordnare");
        var social = await scenario.As("socialsekreterare");
        var intervention = await ProposeAsync(coordinator, caseId, Party.Socialtjanst, await scenario.UserIdAsync("socialsekreterare"), isBistand: true);
        var id = intervention.GetProperty("id").GetGuid();
        Assert.Equal(["Cancel"], Triggers(intervention));

        var refused = await TransitionAsync(coordinator, caseId, id, new { trigger = "Plan" });
        await refused.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await refused.JsonAsync();
        Assert.Equal("Proposed", problem.GetProperty("currentState").GetString());
        Assert.Equal(["Cancel"], problem.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("Bistånd från socialtjänsten kräver en beslutsreferens",
            problem.GetProperty("unmetGuards").EnumerateArray().Select(g => g.GetString()));

        var decisionUrl = $"/api/cases/{caseId}/interventions/{id}/decision-reference";
        await (await coordinator.Http.PutAsJsonAsync(decisionUrl, new { decisionReference = "SN-2026-17" })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await (await scenario.As("skola")).Http.PutAsJsonAsync(decisionUrl, new { decisionReference = "SN-2026-17" })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await Expect.FieldErrorAsync(await social.Http.PutAsJsonAsync(decisionUrl, new { decisionReference = " " }), "decisionReference");
        await (await social.Http.PutAsJsonAsync($"/api/cases/{caseId}/interventions/{Guid.NewGuid()}/decision-reference", new { decisionReference = "SN-2026-17" }))
            .EnsureStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal(JsonValueKind.Null, (await GetAsync(coordinator, caseId, id)).GetProperty("decisionReference").ValueKind);

        var set = await social.Http.PutAsJsonAsync(decisionUrl, new { decisionReference = "SN-2026-17" });
        await set.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("SN-2026-17", (await set.JsonAsync()).GetProperty("decisionReference").GetString());

        var planned = await TransitionAsync(coordinator, caseId, id, new { trigger = "Plan" });
        await planned.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Planned", (await planned.JsonAsync()).GetProperty("state").GetString());
        // Once planned, the decision is part of the plan and no longer changed here.
        await (await social.Http.PutAsJsonAsync(decisionUrl, new { decisionReference = "SN-2026-99" })).EnsureStatusAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SchoolMember_SeesSchoolInterventions_ButNeverSocialServicesOnes()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["socialsekreterare", "skola"], [Party.Skola], SchoolShare);
        var coordinator = await scenario.As("samordnare");
        var school = await scenario.As("skola");
        var schoolOne = (await ProposeAsync(coordinator, caseId, Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();
        var socialOne = (await ProposeAsync(coordinator, caseId, Party.Socialtjanst, await scenario.UserIdAsync("socialsekreterare"))).GetProperty("id").GetGuid();

        var list = await (await school.Http.GetAsync($"/api/cases/{caseId}/interventions")).JsonAsync();
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal(schoolOne, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await (await school.Http.GetAsync($"/api/cases/{caseId}/interventions/{schoolOne}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await school.Http.GetAsync($"/api/cases/{caseId}/interventions/{socialOne}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await TransitionAsync(school, caseId, socialOne, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.NotFound);
        var detail = await scenario.GetCaseAsync(caseId, "skola");
        Assert.Equal([schoolOne], detail.GetProperty("interventions").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));

        // Socialtjänst and the coordinator see both.
        var social = await (await (await scenario.As("socialsekreterare")).Http.GetAsync($"/api/cases/{caseId}/interventions")).JsonAsync();
        Assert.Equal(2, social.GetProperty("totalCount").GetInt32());
        Assert.Equal(socialOne, (await GetAsync(coordinator, caseId, socialOne)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task MemberOutsideCaseOrConsent_GetsNotFound()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola", "polis"], [Party.Skola], SchoolShare);
        var id = (await ProposeAsync(await scenario.As("samordnare"), caseId, Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();

        // A member the consent does not cover, and a user who is not a member at all.
        foreach (var name in new[] { "polis", "fritid" })
        {
            var client = await scenario.As(name);
            await Expect.GetAsync(client, HttpStatusCode.NotFound, $"/api/cases/{caseId}/interventions", $"/api/cases/{caseId}/interventions/{id}");
            await (await TransitionAsync(client, caseId, id, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.NotFound);
        }
        Assert.Equal("Proposed", (await GetAsync(await scenario.As("samordnare"), caseId, id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task MemberOfAnotherParty_CannotTransitionSomeoneElsesIntervention_OwnerPartyCan()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola", "fritid"], [Party.Skola, Party.Fritid], SchoolShare);
        var id = (await ProposeAsync(await scenario.As("samordnare"), caseId, Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();
        var leisure = await scenario.As("fritid");

        // Fritid sees the school insats (the consent shares School with it) but may not move it.
        await (await leisure.Http.GetAsync($"/api/cases/{caseId}/interventions/{id}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await TransitionAsync(leisure, caseId, id, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Proposed", (await GetAsync(leisure, caseId, id)).GetProperty("state").GetString());

        var planned = await TransitionAsync(await scenario.As("skola"), caseId, id, new { trigger = "Plan" });
        await planned.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Planned", (await planned.JsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Complete_RecordsOutcome_AndRefusedTriggerIs409WithPermittedTriggers()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola"], [Party.Skola], SchoolShare);
        var school = await scenario.As("skola");
        var id = (await ProposeAsync(await scenario.As("samordnare"), caseId, Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();

        var early = await TransitionAsync(school, caseId, id, new { trigger = "Complete", outcome = "Achieved" });
        await early.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await early.JsonAsync();
        Assert.Equal("Proposed", problem.GetProperty("currentState").GetString());
        Assert.Equal(["Plan", "Cancel"], problem.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));

        // A second between the steps: history orders by time, and events within one instant have no defined order.
        await (await TransitionAsync(school, caseId, id, new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var started = await TransitionAsync(school, caseId, id, new { trigger = "Start" });
        await started.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["Complete", "Cancel"], Triggers(await started.JsonAsync()));
        factory.Clock.Advance(TimeSpan.FromSeconds(1));

        await Expect.FieldErrorAsync(await TransitionAsync(school, caseId, id, new { trigger = "Complete" }), "outcome");
        // One name for one thing: the view's outcomeComment; the old request name comment is refused, not ignored.
        await Expect.FieldErrorAsync(await TransitionAsync(school, caseId, id, new { trigger = "Complete", outcome = "Achieved", comment = "x" }), "comment");
        Assert.Equal("Ongoing", (await GetAsync(school, caseId, id)).GetProperty("state").GetString());

        var completed = await TransitionAsync(school, caseId, id, new { trigger = "Complete", outcome = "PartlyAchieved", outcomeComment = "Närvaron har ökat." });
        await completed.EnsureStatusAsync(HttpStatusCode.OK);
        var stored = await GetAsync(school, caseId, id);
        Assert.Equal("Completed", stored.GetProperty("state").GetString());
        Assert.Equal("PartlyAchieved", stored.GetProperty("outcome").GetString());
        Assert.Equal("Närvaron har ökat.", stored.GetProperty("outcomeComment").GetString());
        Assert.Equal(factory.Clock.GetUtcNow(), stored.GetProperty("completedAt").GetDateTimeOffset());

        var again = await TransitionAsync(school, caseId, id, new { trigger = "Cancel" });
        await again.EnsureStatusAsync(HttpStatusCode.Conflict);
        var ended = await again.JsonAsync();
        Assert.Equal("Completed", ended.GetProperty("currentState").GetString());
        Assert.Empty(ended.GetProperty("permittedTriggers").EnumerateArray());

        var history = await (await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}/history?pageSize=100")).JsonAsync();
        Assert.Equal(["Plan", "Start", "Complete"], history.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("subjectId").GetGuid() == id).Select(e => e.GetProperty("trigger").GetString()));
    }

    [Fact]
    public async Task Transition_InvalidTrigger_Is400AndChangesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola"], [Party.Skola], SchoolShare);
        var coordinator = await scenario.As("samordnare");
        var id = (await ProposeAsync(coordinator, caseId, Party.Skola, await scenario.UserIdAsync("skola"))).GetProperty("id").GetGuid();

        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new { }), "trigger");
        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new { trigger = "Approve" }), "trigger");
        await Expect.FieldErrorAsync(await TransitionAsync(coordinator, caseId, id, new { trigger = "Plan", state = "Completed" }), "state");
        await (await TransitionAsync(coordinator, caseId, Guid.NewGuid(), new { trigger = "Plan" })).EnsureStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal("Proposed", (await GetAsync(coordinator, caseId, id)).GetProperty("state").GetString());
    }

    internal static Task<HttpResponseMessage> ProposeResponseAsync(SspfClient coordinator, Guid caseId, Party owner, Guid responsibleUserId, bool isBistand = false) =>
        coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/interventions", new
        {
            type = "Mentor", ownerParty = owner.ToString(), responsibleUserId, goal = "Ungdomen går i skolan varje dag.",
            startDate = "2026-12-01", plannedEndDate = "2027-06-01", isBistand,
        });

    internal static async Task<JsonElement> ProposeAsync(SspfClient coordinator, Guid caseId, Party owner, Guid responsibleUserId, bool isBistand = false)
    {
        var response = await ProposeResponseAsync(coordinator, caseId, owner, responsibleUserId, isBistand);
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        return await response.JsonAsync();
    }

    internal static Task<HttpResponseMessage> TransitionAsync(SspfClient client, Guid caseId, Guid interventionId, object body) =>
        client.Http.PostAsJsonAsync($"/api/cases/{caseId}/interventions/{interventionId}/transitions", body);

    private static async Task<JsonElement> GetAsync(SspfClient client, Guid caseId, Guid interventionId)
    {
        var response = await client.Http.GetAsync($"/api/cases/{caseId}/interventions/{interventionId}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    private static IEnumerable<string?> Triggers(JsonElement view) =>
        view.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString());
}
