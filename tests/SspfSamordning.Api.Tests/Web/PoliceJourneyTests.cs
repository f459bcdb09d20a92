using System.Net;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// Journey 3 of issue 19 (Polis) through the pages: only permitted cases, the shared categories and until when, and after a
/// withdrawal the case is gone from the list and its address answers exactly the page of an id that never existed.
/// </summary>
public sealed class PoliceJourneyTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Police_SeesOnlyPermittedCases_WithSharedCategories_AndAfterWithdrawalTheSame404AsANeverExistingId()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync(personnummer: TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow()));
        var caseNumber = (await scenario.GetCaseAsync(caseId)).GetProperty("caseNumber").GetString()!;
        var otherId = await scenario.OpenCaseAsync(); // police is not a member: never visible
        var otherNumber = (await scenario.GetCaseAsync(otherId)).GetProperty("caseNumber").GetString()!;
        await scenario.AddMemberAsync(caseId, "polis");
        var police = new WebClient(factory);
        (await police.SignInAsync(SspfClient.Demo("polis"))).RedirectsTo("/");

        // Before consent: not in the list, and its page is the 404 page.
        Assert.DoesNotContain(caseNumber, (await police.GetAsync("/arenden")).Html);
        Assert.Equal(HttpStatusCode.NotFound, (await police.GetAsync($"/arenden/{caseId}")).Response.StatusCode);

        var consentId = await scenario.GiveValidConsentAsync(caseId, parties: ["Polis", "Skola"], categories: ["Basic", "Police"]);
        var (_, list) = await police.GetAsync("/arenden");
        Assert.Contains(caseNumber, list);
        Assert.DoesNotContain(otherNumber, list);
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var (shown, page) = await police.GetAsync($"/arenden/{caseId}");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Grunduppgifter", page);
        Assert.Contains("Polisens uppgifter", page);
        Assert.DoesNotContain("Skolans uppgifter", page);
        Assert.Matches(@"Samtycket gäller till och med <strong>\d{4}-\d{2}-\d{2}</strong>", page);
        Assert.Equal([$"Read/Allowed@{caseId.ToString()[..8]}"], (await trail.NewAsync()).Events.Select(e => e.ToString()));

        var guardian = (await scenario.GuardianIdsAsync(caseId))[0];
        await (await scenario.ConsentTransitionAsync(caseId, consentId, new { trigger = "Withdraw", signatory = "Guardian", guardianId = guardian }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        await trail.NewAsync();

        Assert.DoesNotContain(caseNumber, (await police.GetAsync("/arenden")).Html);
        var (withdrawn, withdrawnHtml) = await police.GetAsync($"/arenden/{caseId}");
        var (never, neverHtml) = await police.GetAsync($"/arenden/{Guid.NewGuid()}");
        var (foreign, foreignHtml) = await police.GetAsync($"/arenden/{otherId}");
        Assert.All([withdrawn, never, foreign], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(neverHtml, withdrawnHtml);
        Assert.Equal(neverHtml, foreignHtml);
        Assert.Contains("Sidan finns inte eller så saknar du behörighet", withdrawnHtml);
        var refused = (await trail.NewAsync()).Events.Select(e => e.ToString()).ToList();
        Assert.Equal(3, refused.Count(e => e.StartsWith("Refused/Refused", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CasePages_RefuseRolesWithoutCaseAccess()
    {
        var auditor = new WebClient(factory);
        (await auditor.SignInAsync(SspfClient.Demo("granskare"))).RedirectsTo("/");
        var (response, html) = await auditor.GetAsync("/arenden");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Du saknar behörighet", html);
    }
}
