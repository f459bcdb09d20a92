using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Consents;

public sealed class ConsentTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task RequestConsent_AsCoordinator_Is201WithLocation_AndCaseAwaitsConsent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();

        var response = await scenario.RequestConsentResponseAsync(caseId, ["Skola", "Polis"], ["Basic", "Police"]);

        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var consent = await response.JsonAsync();
        var consentId = consent.GetProperty("id").GetGuid();
        Assert.Equal($"/api/cases/{caseId}/consents/{consentId}", response.Headers.Location?.ToString());
        Assert.Equal("Requested", consent.State());
        Assert.Equal(["Skola", "Polis"], consent.Strings("parties"));
        Assert.Equal(["Basic", "Police"], consent.Strings("categories"));
        Assert.Equal("AwaitingConsent", await scenario.CaseStateAsync(caseId));

        // Only one consent may await answers at a time.
        await (await scenario.RequestConsentResponseAsync(caseId)).EnsureRuleAsync("ConsentAlreadyRequested");
    }

    [Fact]
    public async Task Youth14_BothGuardiansGive_ConsentValid_AndCaseActive()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        var consentId = await scenario.RequestConsentAsync(caseId);
        var guardians = await scenario.GuardianIdsAsync(caseId);

        await scenario.ExpectAnswerAsync(caseId, consentId, "Guardian", guardians[0], "PartiallyGiven", "AwaitingConsent");

        // Under 15 the youth does not sign.
        await (await scenario.AnswerAsync(caseId, consentId, "Youth")).EnsureRuleAsync("NotASignatory");

        // The social worker in the case team records answers too.
        var consent = await scenario.ExpectAnswerAsync(caseId, consentId, "Guardian", guardians[1], "Valid", "Active", recorder: "socialsekreterare");
        Assert.Equal(2, consent.GetProperty("answers").GetArrayLength());
        Assert.Equal(JsonValueKind.String, consent.GetProperty("validFrom").ValueKind);
        Assert.Equal(await scenario.UserIdAsync("socialsekreterare"), consent.GetProperty("answers")[1].GetProperty("recordedByUserId").GetGuid());
    }

    [Fact]
    public async Task Youth16_GuardiansAlone_ArePartial_AndTheYouthsAnswerMakesItValid()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 16);
        var consentId = await scenario.RequestConsentAsync(caseId);
        foreach (var guardianId in await scenario.GuardianIdsAsync(caseId))
            await scenario.ExpectAnswerAsync(caseId, consentId, "Guardian", guardianId, "PartiallyGiven", "AwaitingConsent");

        await scenario.ExpectAnswerAsync(caseId, consentId, "Youth", null, "Valid", "Active");
    }

    [Fact]
    public async Task Youth18_YouthAloneMakesItValid_AndAGuardiansAnswerIsRefused()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 18);
        var consentId = await scenario.RequestConsentAsync(caseId);
        var guardianId = (await scenario.GuardianIdsAsync(caseId))[0];

        var guardian = await scenario.AnswerAsync(caseId, consentId, "Guardian", guardianId);
        var problem = await guardian.EnsureRuleAsync("NotASignatory");
        Assert.Contains("18", problem.GetProperty("detail").GetString());
        await scenario.AssertUnansweredAsync(caseId, consentId);

        await scenario.ExpectAnswerAsync(caseId, consentId, "Youth", null, "Valid", "Active");
    }

    [Fact]
    public async Task Refusal_ByOneGuardian_RefusesConsent_AndDeclinesCase()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var consentId = await scenario.RequestConsentAsync(caseId);
        var guardians = await scenario.GuardianIdsAsync(caseId);
        await scenario.ExpectAnswerAsync(caseId, consentId, "Guardian", guardians[0], "PartiallyGiven", "AwaitingConsent");

        var consent = await scenario.ExpectAnswerAsync(caseId, consentId, "Guardian", guardians[1], "Refused", "Declined", given: false);

        Assert.Empty(consent.Strings("permittedTriggers"));
    }

    [Fact]
    public async Task Answer_ForNonSignatory_Is409_AndRecordsNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var consentId = await scenario.RequestConsentAsync(caseId);

        await (await scenario.AnswerAsync(caseId, consentId, "Guardian", Guid.NewGuid())).EnsureRuleAsync("NotASignatory");
        await (await scenario.AnswerAsync(caseId, consentId, "Youth")).EnsureRuleAsync("NotASignatory");

        await scenario.AssertUnansweredAsync(caseId, consentId);
    }

    [Fact]
    public async Task Answer_Twice_ForOneSignatory_Is409()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var consentId = await scenario.RequestConsentAsync(caseId);
        var guardianId = (await scenario.GuardianIdsAsync(caseId))[0];
        await (await scenario.AnswerAsync(caseId, consentId, "Guardian", guardianId)).EnsureStatusAsync(HttpStatusCode.OK);

        await (await scenario.AnswerAsync(caseId, consentId, "Guardian", guardianId, given: false)).EnsureRuleAsync("AlreadyAnswered");

        Assert.Equal("PartiallyGiven", (await scenario.GetConsentAsync(caseId, consentId)).State());
    }

    [Fact]
    public async Task Answer_InvalidBody_Is400WithFieldErrors_AndChangesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        var consentId = await scenario.RequestConsentAsync(caseId);
        var guardianId = (await scenario.GuardianIdsAsync(caseId))[0];
        var coordinator = await scenario.As("samordnare");
        var url = $"/api/cases/{caseId}/consents/{consentId}/answers";

        await (await coordinator.Http.PostAsJsonAsync(url, new { })).EnsureFieldErrorsAsync("signatory", "given", "form", "obtainedBy");
        await (await coordinator.Http.PostAsJsonAsync(url, new { signatory = "Guardian", given = true, form = "Written", obtainedBy = "Skola" }))
            .EnsureFieldErrorsAsync("guardianId", "documentRef");
        await (await coordinator.Http.PostAsJsonAsync(url, new { signatory = "Youth", guardianId, given = true, form = "Verbal", obtainedBy = "Skola" }))
            .EnsureFieldErrorsAsync("guardianId", "verbalRecordedBy");
        await (await coordinator.Http.PostAsJsonAsync(url, new { signatory = "Guardian", guardianId, given = true, form = "Written", documentRef = "x", obtainedBy = "Skola", state = "Valid" }))
            .EnsureFieldErrorsAsync("state");
        await (await coordinator.Http.PostAsJsonAsync(url, new { signatory = "Parent", guardianId, given = true, form = "Written", documentRef = "x", obtainedBy = "Skola" }))
            .EnsureStatusAsync(HttpStatusCode.BadRequest);

        await scenario.AssertUnansweredAsync(caseId, consentId);

        // A verbal answer names who took it and needs no document.
        var verbal = await coordinator.Http.PostAsJsonAsync(url,
            new { signatory = "Guardian", guardianId, given = true, form = "Verbal", verbalRecordedBy = "Lisa Socialsekreterare", obtainedBy = "Socialtjanst" });
        await verbal.EnsureStatusAsync(HttpStatusCode.OK);
        var answer = (await verbal.JsonAsync()).GetProperty("answers")[0];
        Assert.Equal("Verbal", answer.GetProperty("form").GetString());
        Assert.Equal("Lisa Socialsekreterare", answer.GetProperty("verbalRecordedBy").GetString());
    }

    [Fact]
    public async Task RequestConsent_InvalidBody_Is400_AndCaseStaysOpened()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var coordinator = await scenario.As("samordnare");

        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/consents", new { })).EnsureFieldErrorsAsync("parties", "categories");
        await (await scenario.RequestConsentResponseAsync(caseId, [], ["Basic"])).EnsureFieldErrorsAsync("parties");
        await (await scenario.RequestConsentResponseAsync(caseId, ["Skola"], ["Basic", "SocialServicesInternal"])).EnsureFieldErrorsAsync("categories");

        Assert.Equal("Opened", await scenario.CaseStateAsync(caseId));
        var list = await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/consents")).JsonAsync();
        Assert.Equal(0, list.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("socialsekreterare")]
    [InlineData("polis")]
    [InlineData("skola")]
    public async Task RequestConsent_NotCoordinator_Is403(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(caseId, name);

        var response = await (await scenario.As(name)).Http.PostAsJsonAsync($"/api/cases/{caseId}/consents", new { parties = new[] { "Skola" }, categories = new[] { "Basic" } });

        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Opened", await scenario.CaseStateAsync(caseId));
    }

    [Theory]
    [InlineData("polis")]
    [InlineData("skola")]
    public async Task Answer_NeitherCoordinatorNorSocialWorker_Is403(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, name);
        var consentId = await scenario.RequestConsentAsync(caseId);

        var response = await scenario.AnswerAsync(caseId, consentId, "Guardian", (await scenario.GuardianIdsAsync(caseId))[0], recorder: name);

        await response.EnsureStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Withdraw_ValidConsent_CaseAwaitsConsentAgain_AndPoliceLosesAccessOnTheNextRequest()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "polis");
        var consentId = await scenario.GiveValidConsentAsync(caseId, ["Polis", "Skola"], ["Basic", "Police"]);
        var police = await scenario.As("polis");
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/consents/{consentId}")).EnsureStatusAsync(HttpStatusCode.OK);

        var withdrawn = await scenario.ConsentTransitionAsync(caseId, consentId,
            new { trigger = "Withdraw", signatory = "Guardian", guardianId = (await scenario.GuardianIdsAsync(caseId))[1], reason = "Vill inte längre" });

        await withdrawn.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Withdrawn", (await withdrawn.JsonAsync()).State());
        Assert.Equal("AwaitingConsent", await scenario.CaseStateAsync(caseId));
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/consents")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/consents/{consentId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Withdraw_Twice_Is409WithCurrentStateAndPermittedTriggers()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 18);
        var consentId = await scenario.GiveAdultConsentAsync(caseId);
        await (await scenario.ConsentTransitionAsync(caseId, consentId, new { trigger = "Withdraw", signatory = "Youth" })).EnsureStatusAsync(HttpStatusCode.OK);

        var again = await scenario.ConsentTransitionAsync(caseId, consentId, new { trigger = "Withdraw", signatory = "Youth" });

        var problem = await again.EnsureRuleAsync("TransitionRefused");
        Assert.Equal("Withdrawn", problem.GetProperty("currentState").GetString());
        Assert.Empty(problem.Strings("permittedTriggers"));
    }

    [Fact]
    public async Task NarrowScope_WithoutPolice_PoliceGets404_SchoolKeepsAccess()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "polis");
        await scenario.AddMemberAsync(caseId, "skola");
        var consentId = await scenario.GiveValidConsentAsync(caseId, ["Polis", "Skola"], ["Basic", "School", "Police"]);
        var police = await scenario.As("polis");
        var school = await scenario.As("skola");
        await (await police.Http.GetAsync($"/api/cases/{caseId}/consents")).EnsureStatusAsync(HttpStatusCode.OK);
        var guardianId = (await scenario.GuardianIdsAsync(caseId))[0];

        var narrowed = await scenario.ConsentTransitionAsync(caseId, consentId,
            new { trigger = "NarrowScope", signatory = "Guardian", guardianId, parties = new[] { "Skola" }, categories = new[] { "Basic", "School" } });

        await narrowed.EnsureStatusAsync(HttpStatusCode.OK);
        var consent = await narrowed.JsonAsync();
        Assert.Equal("Valid", consent.State());
        Assert.Equal(["Skola"], consent.Strings("parties"));
        Assert.Equal(JsonValueKind.String, consent.GetProperty("scopeNarrowedAt").ValueKind);
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/consents")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await school.Http.GetAsync($"/api/cases/{caseId}/consents/{consentId}")).EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Active", await scenario.CaseStateAsync(caseId));

        // Widening needs a new consent.
        var widened = await scenario.ConsentTransitionAsync(caseId, consentId,
            new { trigger = "NarrowScope", signatory = "Guardian", guardianId, parties = new[] { "Skola", "Polis" }, categories = new[] { "Basic" } });
        await widened.EnsureRuleAsync("ScopeCanOnlyNarrow");
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ConsentTransitions_UnknownTriggerOrUnusedField_Is400_AndChangesNothing()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 18);
        var consentId = await scenario.GiveAdultConsentAsync(caseId);
        var coordinator = await scenario.As("samordnare");
        var url = $"/api/cases/{caseId}/consents/{consentId}/transitions";

        var give = await scenario.ConsentTransitionAsync(caseId, consentId, new { trigger = "Give", signatory = "Youth" });
        var errors = await give.EnsureFieldErrorsAsync("trigger");
        Assert.Contains("Withdraw, NarrowScope", errors.GetProperty("trigger")[0].GetString());
        await (await coordinator.Http.PostAsJsonAsync(url, new { trigger = "withdraw", signatory = "Youth" })).EnsureFieldErrorsAsync("trigger");
        await (await coordinator.Http.PostAsJsonAsync(url, new { trigger = "Withdraw" })).EnsureFieldErrorsAsync("signatory");
        await (await coordinator.Http.PostAsJsonAsync(url, new { trigger = "Withdraw", signatory = "Youth", parties = new[] { "Skola" } }))
            .EnsureFieldErrorsAsync("parties");
        await (await coordinator.Http.PostAsJsonAsync(url, new { trigger = "NarrowScope", signatory = "Youth", reason = "x" }))
            .EnsureFieldErrorsAsync("reason", "parties", "categories");
        await (await coordinator.Http.PostAsJsonAsync(url, new { trigger = "NarrowScope", signatory = "Youth", parties = Array.Empty<string>(), categories = new[] { "Basic" } }))
            .EnsureFieldErrorsAsync("parties");

        var consent = await scenario.GetConsentAsync(caseId, consentId);
        Assert.Equal("Valid", consent.State());
        Assert.Equal(ConsentSteps.AllParties, consent.Strings("parties"));
        Assert.Equal("Active", await scenario.CaseStateAsync(caseId));
    }

    [Fact]
    public async Task ReadConsents_PagedForCoordinator_404WithoutConsentOrBasicCategoryOrInAnotherMunicipality()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(age: 14);
        await scenario.AddMemberAsync(caseId, "fritid");
        await scenario.AddMemberAsync(caseId, "polis");
        var firstId = await scenario.GiveValidConsentAsync(caseId, ["Skola", "Polis"], ["Police"]);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var secondId = await scenario.RequestConsentAsync(caseId, ["Skola", "Fritid"], ["Basic"]);
        var coordinator = await scenario.As("samordnare");

        var page1 = await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/consents?pageSize=1")).JsonAsync();
        Assert.Equal(2, page1.GetProperty("totalCount").GetInt32());
        Assert.Equal(firstId, Assert.Single(page1.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var page2 = await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/consents?page=2&pageSize=1")).JsonAsync();
        Assert.Equal(secondId, Assert.Single(page2.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/consents?pageSize=0")).EnsureStatusAsync(HttpStatusCode.BadRequest);
        await (await coordinator.Http.GetAsync($"/api/cases/{caseId}/consents/{Guid.NewGuid()}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        // Fritid is a member, but the consent in force does not cover it (the requested one is not yet valid).
        var leisure = await scenario.As("fritid");
        await (await leisure.Http.GetAsync($"/api/cases/{caseId}/consents")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await leisure.Http.GetAsync($"/api/cases/{caseId}/consents/{firstId}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        // Polis may see the case, but the consent shares only police information with it, not the basic section.
        var police = await scenario.As("polis");
        await (await police.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/consents")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await police.Http.GetAsync($"/api/cases/{caseId}/consents/{firstId}")).EnsureStatusAsync(HttpStatusCode.NotFound);

        var otherCoordinator = await scenario.As("samordnare", "falkoping");
        await (await otherCoordinator.Http.GetAsync($"/api/cases/{caseId}/consents")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await otherCoordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/consents", new { parties = new[] { "Skola" }, categories = new[] { "Basic" } }))
            .EnsureStatusAsync(HttpStatusCode.NotFound);
    }
}
