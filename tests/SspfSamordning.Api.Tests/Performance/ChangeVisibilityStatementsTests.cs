using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Admin;
using SspfSamordning.Api.Tests.Cases;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Performance;

/// <summary>
/// Issue 22, round six: the visibility statement of a change, a case transition and a consent answer is compiled once per
/// branch of the rule (coordinator, social services, another party; one municipality or several) and shared by every viewer
/// of the branch. Each request must still be decided by the database from ITS viewer's values and the current memberships,
/// consents and accounts: warm statements here, then the access ends, and the very next request is refused.
/// </summary>
public sealed class ChangeVisibilityStatementsTests(CaseReadStatementsTests.CountingFactory factory) : IClassFixture<CaseReadStatementsTests.CountingFactory>
{
    private const string SharedCoordinator = "samordnare.delad@falkenberg.example";

    /// <summary>The visibility statement among a request's commands: the one that reads the data keys.</summary>
    private static string Visibility(IReadOnlyList<string> commands) => CaseReadStatementsTests.CommandCounter.CasesWithKeys(commands);

    private static void AssertNoLiteral(string statement, params Guid[] values)
    {
        foreach (var value in values)
        {
            Assert.DoesNotContain(value.ToString(), statement, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(value.ToString("N"), statement, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Transitions_DecideForEachCoordinatorByItsOwnMunicipalities_OneOrSeveral_AndReadOnlyTheKeys()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var falkenbergCase = await scenario.OpenCaseAsync();
        var falkopingCase = await scenario.OpenCaseAsync(municipality: "falkoping");
        var falkenberg = await scenario.As("samordnare");
        var falkoping = await scenario.As("samordnare", "falkoping");
        await AdminTestData.SharedUnitAsync(factory);
        var sharedId = await AdminTestData.AccountAsync(factory, SharedCoordinator, Roles.Samordnare, AdminTestData.SharedUnitName);
        var shared = factory.CreateSspfClient();
        await shared.SignInAsync(SharedCoordinator);

        // One municipality: each coordinator's own, the statement warm from the other's request.
        var (closed, commands) = await factory.Counter.DuringAsync(() => falkenberg.CaseTransitionAsync(falkenbergCase, "Close"));
        await closed.EnsureStatusAsync(HttpStatusCode.OK);
        await (await falkoping.CaseTransitionAsync(falkenbergCase, "Reopen")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await falkenberg.CaseTransitionAsync(falkopingCase, "Close")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await falkoping.CaseTransitionAsync(falkopingCase, "Close")).EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Closed", await scenario.CaseStateAsync(falkenbergCase));

        // A transition's visibility statement reads the data keys, not the read's child counts; no viewer's id is its text.
        var visibility = Visibility(commands);
        Assert.DoesNotContain("COUNT(", visibility, StringComparison.OrdinalIgnoreCase);
        AssertNoLiteral(visibility, await scenario.MunicipalityIdAsync(), await scenario.UserIdAsync("samordnare"), falkenbergCase);

        // Several municipalities (a collection parameter): both cases for the coordinator serving both, on reads and transitions.
        await (await shared.CaseTransitionAsync(falkenbergCase, "Reopen")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await shared.CaseTransitionAsync(falkopingCase, "Reopen")).EnsureStatusAsync(HttpStatusCode.OK);
        var (closedBySeveral, severalCommands) = await factory.Counter.DuringAsync(() => shared.CaseTransitionAsync(falkopingCase, "Close"));
        await closedBySeveral.EnsureStatusAsync(HttpStatusCode.OK);
        await (await shared.Http.GetAsync($"/api/cases/{falkopingCase}")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await shared.Http.GetAsync($"/api/cases/{falkenbergCase}")).EnsureStatusAsync(HttpStatusCode.OK);
        AssertNoLiteral(Visibility(severalCommands), await scenario.MunicipalityIdAsync(), await scenario.MunicipalityIdAsync("falkoping"), sharedId, falkopingCase);
        // ... and still one municipality each for the others, after the shared coordinator's requests.
        await (await falkoping.CaseTransitionAsync(falkenbergCase, "Close")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await falkoping.Http.GetAsync($"/api/cases/{falkenbergCase}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal("Opened", await scenario.CaseStateAsync(falkenbergCase));
    }

    [Fact]
    public async Task AConsentAnswer_IsNotFound_OnTheVeryNextRequestAfterTheRecordersMembershipIsRemoved()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        var consentId = await scenario.RequestConsentAsync(caseId, ["Skola"], ["Basic"]);
        var guardians = await scenario.GuardianIdsAsync(caseId);
        await (await scenario.AnswerAsync(caseId, consentId, "Guardian", guardians[0], recorder: "socialsekreterare")).EnsureStatusAsync(HttpStatusCode.OK);

        var coordinator = await scenario.As("samordnare");
        await (await coordinator.Http.DeleteAsync($"/api/cases/{caseId}/members/{await scenario.UserIdAsync("socialsekreterare")}"))
            .EnsureStatusAsync(HttpStatusCode.NoContent);

        await (await scenario.AnswerAsync(caseId, consentId, "Guardian", guardians[1], recorder: "socialsekreterare")).EnsureStatusAsync(HttpStatusCode.NotFound);
        Assert.Single((await scenario.GetConsentAsync(caseId, consentId)).GetProperty("answers").EnumerateArray());
    }

    [Fact]
    public async Task AChangeByAnotherParty_IsNotFound_OnTheVeryNextRequestAfterTheConsentIsWithdrawn()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.ActiveCaseAsync(["skola"], [Party.Skola], [InformationCategory.Basic, InformationCategory.School]);
        var proposed = await Interventions.InterventionTests.ProposeResponseAsync(await scenario.As("samordnare"), caseId, Party.Skola, await scenario.UserIdAsync("skola"));
        await proposed.EnsureStatusAsync(HttpStatusCode.Created);
        var interventionId = (await proposed.JsonAsync()).GetProperty("id").GetGuid();
        var school = await scenario.As("skola");
        Task<HttpResponseMessage> MoveAsync(string trigger) =>
            school.Http.PostAsJsonAsync($"/api/cases/{caseId}/interventions/{interventionId}/transitions", new { trigger });
        await (await MoveAsync("Plan")).EnsureStatusAsync(HttpStatusCode.OK);

        var consentId = Assert.Single((await scenario.GetCaseAsync(caseId)).GetProperty("consents").EnumerateArray()).GetProperty("id").GetGuid();
        var guardianId = (await scenario.GuardianIdsAsync(caseId))[0];
        await (await scenario.ConsentTransitionAsync(caseId, consentId,
            new { trigger = "Withdraw", signatory = "Guardian", guardianId, reason = "Vill inte längre." })).EnsureStatusAsync(HttpStatusCode.OK);

        await (await MoveAsync("Start")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ATransition_IsRefused_OnTheVeryNextRequestAfterTheCoordinatorIsDisabled()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        const string email = "samordnare.avslutad@falkenberg.example";
        var userId = await AdminTestData.AccountAsync(factory, email, Roles.Samordnare, "Kommunledningskontoret Falkenberg");
        var coordinator = factory.CreateSspfClient();
        await coordinator.SignInAsync(email);
        await (await coordinator.CaseTransitionAsync(caseId, "Close")).EnsureStatusAsync(HttpStatusCode.OK);

        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        await (await admin.Http.PostAsync($"/api/admin/users/{userId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NoContent);

        await (await coordinator.CaseTransitionAsync(caseId, "Reopen")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Closed", await scenario.CaseStateAsync(caseId));
    }
}
