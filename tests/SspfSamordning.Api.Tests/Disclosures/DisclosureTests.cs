using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Cases;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Interventions;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Disclosures;

public sealed class DisclosureTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private const string LegalBasis = "OSL 10 kap. 18 a §";

    [Theory]
    [InlineData("samordnare")]
    [InlineData("polis")]
    [InlineData("skola")]
    public async Task Disclose_ByAnyoneButSocialServices_Is403AndRecordsNothing(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await CaseWithTeamAsync(scenario, "polis", "skola");
        var response = await DiscloseAsync(await scenario.As(name), caseId, await scenario.UserIdAsync("polis"), factory.Clock.GetUtcNow().AddDays(30));
        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, (await ListAsync(await scenario.As("socialsekreterare"), caseId)).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Disclosure_GivesTheReceivingPoliceMemberOnlyTheDisclosedCategories_WithoutAnyConsent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await CaseWithTeamAsync(scenario, "polis");
        var police = await scenario.As("polis");
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        var response = await DiscloseAsync(await scenario.As("socialsekreterare"), caseId, await scenario.UserIdAsync("polis"),
            factory.Clock.GetUtcNow().AddDays(30), ["Basic", "Police"]);
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var created = await response.JsonAsync();
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/cases/{caseId}/disclosures/{id}", response.Headers.Location?.ToString());
        Assert.Equal("Active", created.GetProperty("state").GetString());
        Assert.Equal(LegalBasis, created.GetProperty("legalBasis").GetString());

        var detail = await scenario.GetCaseAsync(caseId, "polis");
        Assert.Equal("Opened", detail.GetProperty("state").GetString());
        Assert.Equal(["Basic", "Police"], Strings(detail.GetProperty("categories")));
        Assert.Equal(id, Assert.Single(detail.GetProperty("disclosures").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(id, Assert.Single((await ListAsync(police, caseId)).GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await (await police.Http.GetAsync($"/api/cases/{caseId}/disclosures/{id}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/disclosures/{Guid.NewGuid()}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        // The coordinator sees the case but never the disclosure.
        var coordinator = await scenario.As("samordnare");
        await Expect.GetAsync(coordinator, HttpStatusCode.NotFound, $"/api/cases/{caseId}/disclosures", $"/api/cases/{caseId}/disclosures/{id}");
        Assert.False((await scenario.GetCaseAsync(caseId)).TryGetProperty("disclosures", out _));
    }

    [Fact]
    public async Task Disclosure_EndsAtItsEndDate()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await CaseWithTeamAsync(scenario, "polis");
        var endsAt = factory.Clock.GetUtcNow().AddDays(1);
        await (await DiscloseAsync(await scenario.As("socialsekreterare"), caseId, await scenario.UserIdAsync("polis"), endsAt))
            .EnsureStatusAsync(HttpStatusCode.Created);
        await scenario.GetCaseAsync(caseId, "polis");

        factory.Clock.Set(endsAt.AddMinutes(1));
        var later = await CaseScenario.CreateAsync(factory); // the earlier sessions have expired
        var police = await later.As("polis");
        await Expect.GetAsync(police, HttpStatusCode.NotFound, $"/api/cases/{caseId}", $"/api/cases/{caseId}/disclosures");
    }

    [Fact]
    public async Task Revoke_EndsAccessOnTheNextRequest_AndRevokingTwiceIs409()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await CaseWithTeamAsync(scenario, "polis");
        var social = await scenario.As("socialsekreterare");
        var police = await scenario.As("polis");
        var created = await DiscloseAsync(social, caseId, await scenario.UserIdAsync("polis"), factory.Clock.GetUtcNow().AddDays(30));
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        await scenario.GetCaseAsync(caseId, "polis");

        await (await TransitionAsync(await scenario.As("samordnare"), caseId, id, new { trigger = "Revoke" })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await (await TransitionAsync(police, caseId, id, new { trigger = "Revoke" })).EnsureStatusAsync(HttpStatusCode.Forbidden);
        await Expect.FieldErrorAsync(await TransitionAsync(social, caseId, id, new { trigger = "Extend" }), "trigger");
        await Expect.FieldErrorAsync(await TransitionAsync(social, caseId, id, new { }), "trigger");
        await (await TransitionAsync(social, caseId, Guid.NewGuid(), new { trigger = "Revoke" })).EnsureStatusAsync(HttpStatusCode.NotFound);
        await scenario.GetCaseAsync(caseId, "polis");

        var revoked = await TransitionAsync(social, caseId, id, new { trigger = "Revoke", reason = "Risken bedöms inte längre föreligga." });
        await revoked.EnsureStatusAsync(HttpStatusCode.OK);
        var view = await revoked.JsonAsync();
        Assert.Equal("Revoked", view.GetProperty("state").GetString());
        Assert.Equal(factory.Clock.GetUtcNow(), view.GetProperty("revokedAt").GetDateTimeOffset());
        await Expect.GetAsync(police, HttpStatusCode.NotFound, $"/api/cases/{caseId}", $"/api/cases/{caseId}/disclosures/{id}");

        var again = await TransitionAsync(social, caseId, id, new { trigger = "Revoke" });
        await again.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await again.JsonAsync();
        Assert.Equal("Revoked", problem.GetProperty("currentState").GetString());
        Assert.Empty(problem.GetProperty("permittedTriggers").EnumerateArray());
    }

    [Fact]
    public async Task AnotherPoliceMember_NeverSeesTheDisclosure_EvenWithConsent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var otherOfficer = await scenario.AnotherPoliceOfficerAsync();
        var caseId = await CaseWithTeamAsync(scenario, "polis", otherOfficer);
        var created = await DiscloseAsync(await scenario.As("socialsekreterare"), caseId, await scenario.UserIdAsync("polis"),
            factory.Clock.GetUtcNow().AddDays(30), ["Basic", "Police"]);
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();

        var other = await scenario.As(otherOfficer);
        await Expect.GetAsync(other, HttpStatusCode.NotFound, $"/api/cases/{caseId}", $"/api/cases/{caseId}/disclosures");

        // A consent that covers the police lets the other officer see the case: the consented categories, not the disclosure.
        await scenario.GiveValidConsentAsync(caseId, [Party.Polis], [InformationCategory.Basic]);
        var detail = await scenario.GetCaseAsync(caseId, otherOfficer);
        Assert.Equal(["Basic"], Strings(detail.GetProperty("categories")));
        Assert.False(detail.TryGetProperty("disclosures", out _));
        await Expect.GetAsync(other, HttpStatusCode.NotFound, $"/api/cases/{caseId}/disclosures", $"/api/cases/{caseId}/disclosures/{id}");

        // The receiver sees what the consent and the disclosure give together.
        Assert.Equal(["Basic", "Police"], Strings((await scenario.GetCaseAsync(caseId, "polis")).GetProperty("categories")));
    }

    [Fact]
    public async Task Disclose_InvalidBody_Is400WithFieldErrorsAndRecordsNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await CaseWithTeamAsync(scenario, "polis", "skola");
        var social = await scenario.As("socialsekreterare");
        var url = $"/api/cases/{caseId}/disclosures";
        var police = await scenario.UserIdAsync("polis");
        var future = factory.Clock.GetUtcNow().AddDays(30);

        var missing = await social.Http.PostAsJsonAsync(url, new { categories = Array.Empty<string>() });
        await missing.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var errors = (await missing.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "legalBasis", "justification", "categories", "decisionMaker", "receivingPoliceUserId", "endsAt" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        await Expect.FieldErrorAsync(await DiscloseAsync(social, caseId, police, future, legalBasis: "Brottsbalken 23 kap."), "legalBasis");
        await Expect.FieldErrorAsync(await DiscloseAsync(social, caseId, police, future, ["SocialServicesInternal"]), "categories");
        await Expect.FieldErrorAsync(await DiscloseAsync(social, caseId, police, factory.Clock.GetUtcNow().AddMinutes(-1)), "endsAt");
        // Nor without an end in sight: at most CaseRules.DisclosureMaxMonths (12) ahead.
        await Expect.FieldErrorAsync(await DiscloseAsync(social, caseId, police, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)), "endsAt");
        await Expect.FieldErrorAsync(await social.Http.PostAsJsonAsync(url, new
        {
            legalBasis = LegalBasis, justification = "J", categories = new[] { "Police" }, decisionMaker = "D", receivingPoliceUserId = police,
            endsAt = future, state = "Revoked",
        }), "state");

        var notPolice = await DiscloseAsync(social, caseId, await scenario.UserIdAsync("skola"), future);
        await notPolice.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("ReceiverNotPoliceMember", (await notPolice.JsonAsync()).GetProperty("code").GetString());

        Assert.Equal(0, (await ListAsync(social, caseId)).GetProperty("totalCount").GetInt32());
        await (await (await scenario.As("polis")).Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Disclose_AboutSomeoneAged21_Is409()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 21);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        await scenario.AddMemberAsync(caseId, "polis");
        var response = await DiscloseAsync(await scenario.As("socialsekreterare"), caseId, await scenario.UserIdAsync("polis"), factory.Clock.GetUtcNow().AddDays(30));
        await response.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("YouthNotUnder21", (await response.JsonAsync()).GetProperty("code").GetString());
    }

    /// <summary>An Opened case (no consent) with socialtjänst and <paramref name="members"/> in the team.</summary>
    private static async Task<Guid> CaseWithTeamAsync(CaseScenario scenario, params string[] members)
    {
        var caseId = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        foreach (var member in members) await scenario.AddMemberAsync(caseId, member);
        return caseId;
    }

    /// <summary>A valid disclosure of Basic and Police unless the test says otherwise.</summary>
    private static Task<HttpResponseMessage> DiscloseAsync(
        SspfClient client, Guid caseId, Guid receivingPoliceUserId, DateTimeOffset endsAt, string[]? categories = null, string legalBasis = LegalBasis) =>
        client.Http.PostAsJsonAsync($"/api/cases/{caseId}/disclosures", new
        {
            legalBasis, justification = "Risk för fortsatt brottslig verksamhet; uppgifterna behövs för att förebygga den.",
            categories = categories ?? ["Basic", "Police"], decisionMaker = "Eva Ek, enhetschef", receivingPoliceUserId, endsAt,
        });

    private static async Task<JsonElement> ListAsync(SspfClient client, Guid caseId)
    {
        var response = await client.Http.GetAsync($"/api/cases/{caseId}/disclosures");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> TransitionAsync(SspfClient client, Guid caseId, Guid disclosureId, object body) =>
        client.Http.PostAsJsonAsync($"/api/cases/{caseId}/disclosures/{disclosureId}/transitions", body);

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());
}
