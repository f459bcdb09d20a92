using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>The access rules of domain.md as the people they protect would try them (issue 4's named scenarios).</summary>
public sealed class AccessScenarioTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task PoliceMember_SeesNothingBeforeConsent_SharedCategoriesWhenValid_AndNothingAfterOneGuardianWithdraws()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow());
        var caseId = await scenario.OpenCaseAsync(personnummer: personnummer);
        await scenario.AddMemberAsync(caseId, "polis");
        var police = await scenario.As("polis");

        await AssertInvisibleAsync(police, caseId, personnummer);

        var consentId = await scenario.GiveValidConsentAsync(caseId, parties: ["Polis", "Skola"], categories: ["Basic", "Police"]);
        var view = await JsonAsync(police.Http.GetAsync($"/api/cases/{caseId}"));
        Assert.Equal(["Basic", "Police"], Strings(view.GetProperty("categories")));
        Assert.Contains(caseId, await ListedAsync(police));
        Assert.Contains(caseId, await SearchedAsync(police, personnummer));

        var guardian = (await scenario.GuardianIdsAsync(caseId))[0];
        var withdrawn = await scenario.ConsentTransitionAsync(caseId, consentId, new { trigger = "Withdraw", signatory = "Guardian", guardianId = guardian });
        await withdrawn.EnsureStatusAsync(HttpStatusCode.OK);
        await AssertInvisibleAsync(police, caseId, personnummer);
    }

    [Fact]
    public async Task PoliceWhoIsNotAMember_NeverSeesTheCase_InListsCountsOrSearch_EvenWithValidConsent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow());
        var caseId = await scenario.OpenCaseAsync(personnummer: personnummer);
        await scenario.GiveValidConsentAsync(caseId, parties: ["Polis", "Skola", "Socialtjanst", "Fritid"], categories: ["Basic", "Police"]);
        await AssertInvisibleAsync(await scenario.As("polis"), caseId, personnummer);
    }

    [Fact]
    public async Task SchoolMember_SeesBasicAndSchool_NeverSocialServicesNotes()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        foreach (var member in new[] { "skola", "socialsekreterare" }) await scenario.AddMemberAsync(caseId, member);
        await scenario.GiveValidConsentAsync(caseId, parties: ["Skola", "Socialtjanst"], categories: ["Basic", "School"]);
        var coordinator = await scenario.As("samordnare");
        var schoolOwned = await ProposeAsync(coordinator, caseId, "Skola", await scenario.UserIdAsync("skola"));
        var socialOwned = await ProposeAsync(coordinator, caseId, "Socialtjanst", await scenario.UserIdAsync("socialsekreterare"));

        var school = await scenario.As("skola");
        var view = await JsonAsync(school.Http.GetAsync($"/api/cases/{caseId}"));
        Assert.Equal(["Basic", "School"], Strings(view.GetProperty("categories")));
        Assert.Equal([schoolOwned], view.GetProperty("interventions").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.False(view.TryGetProperty("disclosures", out _));
        await (await school.Http.GetAsync($"/api/cases/{caseId}/interventions/{socialOwned}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        // Socialtjänst sees everything of its case, its internal category included.
        var social = await JsonAsync((await scenario.As("socialsekreterare")).Http.GetAsync($"/api/cases/{caseId}"));
        Assert.Contains("SocialServicesInternal", Strings(social.GetProperty("categories")));
        Assert.Equal(2, social.GetProperty("interventions").GetArrayLength());
    }

    [Fact]
    public async Task AMemberWithoutBasic_SeesTheCloseReason_ButNeitherItsCommentNorAReopensReason_InTheHistory()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(caseId, "skola");
        await scenario.GiveValidConsentAsync(caseId, parties: ["Skola", "Socialtjanst"], categories: ["School"]);
        var coordinator = await scenario.As("samordnare");
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions",
            new { trigger = "Close", closeReason = "Moved", closeComment = "Flyttat till Borås med mamma" })).EnsureStatusAsync(HttpStatusCode.OK);
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions",
            new { trigger = "Reopen", reason = "Tillbaka hos pappa i kommunen" })).EnsureStatusAsync(HttpStatusCode.OK);

        var school = await scenario.As("skola");
        Assert.Equal(["School"], Strings((await JsonAsync(school.Http.GetAsync($"/api/cases/{caseId}"))).GetProperty("categories")));
        var history = await JsonAsync(school.Http.GetAsync($"/api/cases/{caseId}/history?pageSize=100"));
        var caseEvents = history.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("workflow").GetString() == "Case").ToList();
        Assert.Equal("Moved", caseEvents.Single(e => e.GetProperty("trigger").GetString() == "Close").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, caseEvents.Single(e => e.GetProperty("trigger").GetString() == "Reopen").GetProperty("reason").ValueKind);
        Assert.DoesNotContain("Borås", history.GetRawText());
        Assert.DoesNotContain("pappa", history.GetRawText());

        // The coordinator (Basic) reads both in full.
        var full = (await JsonAsync(coordinator.Http.GetAsync($"/api/cases/{caseId}/history?pageSize=100"))).GetRawText();
        Assert.Contains("Moved: Flyttat till Borås med mamma", full);
        Assert.Contains("Tillbaka hos pappa i kommunen", full);
    }

    private static async Task<Guid> ProposeAsync(SspfClient coordinator, Guid caseId, string ownerParty, Guid responsibleUserId) =>
        (await JsonAsync(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/interventions",
            new { type = "Mentor", ownerParty, responsibleUserId, goal = "Stöd." }), HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task SchoolMember_OutsideTheConsentScope_GetsNotFound()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(caseId, "skola");
        await scenario.GiveValidConsentAsync(caseId, parties: ["Polis", "Socialtjanst"], categories: ["Basic"]);
        await (await (await scenario.As("skola")).Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("granskare")]
    [InlineData("analytiker")]
    public async Task RolesWithoutCaseAccess_AreRefusedEveryCaseRead(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var client = await scenario.As(name);
        await (await client.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await client.Http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    private static async Task AssertInvisibleAsync(SspfClient client, Guid caseId, string personnummer)
    {
        await (await client.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await client.Http.GetAsync($"/api/cases/{caseId}/history")).EnsureStatusAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(caseId, await ListedAsync(client));
        Assert.DoesNotContain(caseId, await SearchedAsync(client, personnummer));
        var count = (await JsonAsync(client.Http.GetAsync("/api/cases"))).GetProperty("totalCount").GetInt32();
        Assert.Equal((await ListedAsync(client)).Count, count);
    }

    private static async Task<List<Guid>> ListedAsync(SspfClient client) =>
        [.. (await JsonAsync(client.Http.GetAsync("/api/cases?pageSize=100"))).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];

    private static async Task<List<Guid>> SearchedAsync(SspfClient client, string personnummer) =>
        [.. (await JsonAsync(client.Http.PostAsJsonAsync("/api/cases/search-by-personnummer", new { personnummer })))
            .GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private static async Task<JsonElement> JsonAsync(Task<HttpResponseMessage> call, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await call;
        await response.EnsureStatusAsync(status);
        return await response.JsonAsync();
    }
}
