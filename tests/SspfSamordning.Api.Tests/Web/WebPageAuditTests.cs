using System.Net;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Platform;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// The access-log walk of the pages (the API's is <see cref="AuditCompletenessTests"/>): every page, taken from the
/// endpoint data source, is shown to a signed-in browser session and must answer the expected status and leave exactly
/// the expected events. A new page without an entry in <see cref="Pages"/> fails.
/// </summary>
public sealed class WebPageAuditTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private sealed record PageProbe(string Url, HttpStatusCode Status, List<LoggedEvent> Events);

    private static readonly Guid NoSuchCase = Guid.NewGuid();

    private static readonly Dictionary<string, PageProbe> Pages = new()
    {
        // Pages without case data: nothing to log when shown.
        ["/"] = new("/", HttpStatusCode.OK, []),
        ["/logga-in"] = new("/logga-in", HttpStatusCode.OK, []),
        ["/logga-ut"] = new("/logga-ut", HttpStatusCode.OK, []),
        ["/byt-losenord"] = new("/byt-losenord", HttpStatusCode.OK, []),
        ["/tvastegsverifiering"] = new("/tvastegsverifiering", HttpStatusCode.OK, []),
        // The device flow's code entry: nothing to log when shown.
        ["/enhet"] = new("/enhet", HttpStatusCode.OK, []),
        // The federated sign-in's code step: without the pending cookie of a federated sign-in it leads back to /logga-in.
        ["/logga-in/extern/kod"] = new("/logga-in/extern/kod", HttpStatusCode.Redirect, []),
        // Between the sign-out and the provider's: without the pending cookie of a federated sign-out it leads to /logga-in.
        ["/logga-in/extern/utloggning"] = new("/logga-in/extern/utloggning", HttpStatusCode.Redirect, []),
        // Case pages: the API's events (a List per case shown — none here —, a Refused for a case that cannot be seen).
        ["/arenden"] = new("/arenden", HttpStatusCode.OK, []),
        ["/arenden/{id:guid}"] = new($"/arenden/{NoSuchCase}", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        // Journey 1 (samordnare): a new case shows no case data; the case's sub-pages log as the case page does.
        ["/arenden/nytt"] = new("/arenden/nytt", HttpStatusCode.OK, []),
        ["/arenden/{id:guid}/deltagare"] = new($"/arenden/{NoSuchCase}/deltagare", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        ["/arenden/{id:guid}/begar-samtycke"] = new($"/arenden/{NoSuchCase}/begar-samtycke", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        ["/arenden/{id:guid}/moten/nytt"] = new($"/arenden/{NoSuchCase}/moten/nytt", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        ["/arenden/{id:guid}/moten/{meetingId:guid}"] = new($"/arenden/{NoSuchCase}/moten/{Guid.NewGuid()}", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        ["/arenden/{id:guid}/avsluta"] = new($"/arenden/{NoSuchCase}/avsluta", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        // Statistics: GetStatistics's own event, one Read per query (who, which municipality, which period; no case).
        ["/statistik"] = new("/statistik", HttpStatusCode.OK, [new("Read", "Allowed", null)]),
        // websoc: the consent, orosanmälan and insats pages (a Refused for what cannot be seen, as the API).
        ["/arenden/{id:guid}/insatser"] = new($"/arenden/{NoSuchCase}/insatser", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        ["/arenden/{id:guid}/insatser/{interventionId:guid}"] = new($"/arenden/{NoSuchCase}/insatser/{Guid.NewGuid()}", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        // The samordnare may not see orosanmälningar (socialtjänst only): the policy's 403, logged as the API logs it.
        ["/orosanmalningar"] = new("/orosanmalningar", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
        ["/orosanmalningar/{id:guid}"] = new($"/orosanmalningar/{Guid.NewGuid()}", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
        // webcase: a follow-up's page (decision 11) logs as the case page does.
        ["/arenden/{id:guid}/uppfoljningar/{followUpId:guid}"] = new($"/arenden/{NoSuchCase}/uppfoljningar/{Guid.NewGuid()}", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        // webbench: filing an orosanmälan (any case role) shows no report or case data: nothing to log when shown.
        ["/orosanmalningar/ny"] = new("/orosanmalningar/ny", HttpStatusCode.OK, []),
        ["/arenden/{id:guid}/samtycken/{consentId:guid}"] = new($"/arenden/{NoSuchCase}/samtycken/{Guid.NewGuid()}", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
        // Loggkontroll (Granskare) and administration (Administratör): the samordnare is refused, one Refused event each.
        // The Granskare's own queries are AuditQuery events, as the API's (Web/LoggkontrollPageTests).
        ["/loggkontroll"] = new("/loggkontroll", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
        ["/loggkontroll/utanfor-teamet"] = new("/loggkontroll/utanfor-teamet", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
        ["/loggkontroll/ovanlig-volym"] = new("/loggkontroll/ovanlig-volym", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
        ["/administration"] = new("/administration", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
        ["/administration/nytt-konto"] = new("/administration/nytt-konto", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
        ["/administration/konton/{id:guid}"] = new($"/administration/konton/{NoSuchCase}", HttpStatusCode.Forbidden, [ExpectedAudit.Refused()]),
    };

    private List<string> PagePatterns() =>
        EndpointPolicyTests.Endpoints(factory).Where(EndpointPolicyTests.IsPage).Select(EndpointPolicyTests.Pattern).Distinct().ToList();

    [Fact]
    public void EveryPage_HasAnExpectation_AndEveryExpectationAPage()
    {
        var pages = PagePatterns();
        var missing = pages.Except(Pages.Keys).ToList();
        var stale = Pages.Keys.Except(pages).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"Pages without an expectation:\n{string.Join("\n", missing)}\nExpectations without a page:\n{string.Join("\n", stale)}");
    }

    [Fact]
    public async Task EveryPage_ShownToASignedInSession_LeavesExactlyTheExpectedEvents()
    {
        var web = new WebClient(factory);
        (await web.SignInAsync(SspfClient.Demo("samordnare"))).RedirectsTo("/");
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        var mismatches = new List<string>();
        foreach (var pattern in PagePatterns())
        {
            var probe = Pages[pattern];
            var (response, _) = await web.GetAsync(probe.Url);
            if (response.StatusCode != probe.Status) mismatches.Add($"{pattern}: expected {(int)probe.Status}, got {(int)response.StatusCode}");
            var (logged, _, _) = await trail.NewAsync();
            if (ExpectedAudit.Compare(probe.Events, logged) is { } problem) mismatches.Add($"{pattern}: {problem}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public async Task SignInAndSignOut_AreLogged_AsTheApiLogsThem()
    {
        // The client first: it starts the app, which creates the database the trail reads.
        var web = new WebClient(factory);
        var trail = new AuditTrail(factory);
        await trail.MarkAsync();
        await factory.CreateSspfClient().EnrolAsync(SspfClient.Demo("polis"));
        await trail.NewAsync();

        await web.PostFormAsync("/logga-in", [new("Email", SspfClient.Demo("polis")), new("Password", "fel-losenord-123")]);
        Assert.Equal(["LoginFailed/Refused"], (await trail.NewAsync()).Events.Select(e => e.ToString()));
        (await web.SignInAsync(SspfClient.Demo("polis"))).RedirectsTo("/");
        Assert.Equal(["LoginSucceeded/Allowed"], (await trail.NewAsync()).Events.Select(e => e.ToString()));
        var (_, start) = await web.GetAsync("/");
        await web.PostFromAsync("/logga-ut", start);
        Assert.Equal(["Logout/Allowed"], (await trail.NewAsync()).Events.Select(e => e.ToString()));
    }
}
