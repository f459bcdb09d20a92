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
        // The federated sign-in's code step: without the pending cookie of a federated sign-in it leads back to /logga-in.
        ["/logga-in/extern/kod"] = new("/logga-in/extern/kod", HttpStatusCode.Redirect, []),
        // Case pages: the API's events (a List per case shown — none here —, a Refused for a case that cannot be seen).
        ["/arenden"] = new("/arenden", HttpStatusCode.OK, []),
        ["/arenden/{id:guid}"] = new($"/arenden/{NoSuchCase}", HttpStatusCode.NotFound, [ExpectedAudit.Refused(NoSuchCase)]),
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
