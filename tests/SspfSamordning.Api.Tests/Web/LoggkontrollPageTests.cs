using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// Journey 5 (Granskare) over HTTP with the web cookie: /loggkontroll and its reports show exactly what the API's audit
/// endpoints answer (the same scope), each query is logged as the API logs it, bad filters are refused per field, and
/// "Verifiera loggen" names the first broken event. A fresh app per test (the tampering test breaks the chain).
/// </summary>
public sealed class LoggkontrollPageTests : AuditLogHarness
{
    private async Task<WebClient> AuditorAsync()
    {
        var web = new WebClient(Factory);
        (await web.SignInAsync(SspfClient.Demo("granskare"))).RedirectsTo("/");
        return web;
    }

    private async Task<List<JsonElement>> AuditQueriesAsync()
    {
        var auditor = await Scenario.UserIdAsync("granskare");
        return [.. (await EventsAsync(userId: auditor)).Where(e => Action(e) == "AuditQuery")];
    }

    [Fact]
    public async Task EventsPage_ShowsExactlyTheApisEvents_OfTheOwnMunicipality_AndLogsTheQueryAsTheApiDoes()
    {
        var ours = await Scenario.OpenCaseAsync();
        var theirs = await Scenario.OpenCaseAsync(municipality: "falkoping");
        await (await Scenario.As("samordnare")).Http.GetAsync($"/api/cases/{ours}");
        var web = await AuditorAsync();

        var expected = await EventsAsync(ours);
        Assert.NotEmpty(expected);
        var (response, html) = await web.GetAsync($"/loggkontroll?arende={ours}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Each event as its chain (stripe) and its number in that chain: a number alone is ambiguous among 16 chains.
        var shown = System.Text.RegularExpressions.Regex.Matches(html, "<tr>\\s*<td>(\\d+:\\d+)</td>").Select(m => m.Groups[1].Value).ToList();
        // The API's events, then the API query's own AuditQuery event on this case (logged after its answer).
        Assert.Equal(expected.Select(e => $"{e.GetProperty("stripe").GetInt32()}:{e.GetProperty("sequence").GetInt64()}"), shown.Take(expected.Count));
        Assert.Equal(expected.Count + 1, shown.Count);
        Assert.Contains("Läsning", html);
        Assert.Contains("Skapande", html);

        // Another municipality's case: the API shows the Granskare nothing of it, nor does the page.
        Assert.Empty(await EventsAsync(theirs));
        var (_, foreign) = await web.GetAsync($"/loggkontroll?arende={theirs}");
        Assert.Contains("Inga händelser.", foreign);
        Assert.DoesNotContain($"<code>{theirs}</code>", foreign);

        // Each page query is an AuditQuery event naming the case, as the API's query of the same filter.
        var queries = await AuditQueriesAsync();
        var onOurs = Assert.Single(queries, q => q.GetProperty("purpose").GetString() == $"/loggkontroll?caseId={ours}");
        Assert.Equal(ours, onOurs.GetProperty("caseId").GetGuid());
        // The query naming the other municipality's case is logged too, in that case's trail (so out of this Granskare's scope).
        Assert.DoesNotContain(queries, q => q.GetProperty("purpose").GetString() == $"/loggkontroll?caseId={theirs}");
        Assert.Equal("1", await Raw.ScalarAsync($"""SELECT COUNT(*) FROM "AccessEvents" WHERE "Action" = 'AuditQuery' AND "Purpose" = '/loggkontroll?caseId={theirs}'"""));
    }

    [Fact]
    public async Task BadFilter_IsRefusedPerField_KeepsWhatWasTyped_AndQueriesNothing()
    {
        var web = await AuditorAsync();
        var before = (await AuditQueriesAsync()).Count;
        var (response, html) = await web.GetAsync("/loggkontroll?arende=inte-ett-id&anvandare=&fran=2026-12-05&till=2026-12-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Det finns ett problem", html);
        Assert.Contains("href=\"#arende\"", html);
        Assert.Contains("href=\"#till\"", html);
        Assert.Contains("Till och med-datumet kan inte vara före från och med-datumet.", html);
        Assert.Contains("value=\"inte-ett-id\"", html);
        Assert.Contains("value=\"2026-12-05\"", html);
        Assert.DoesNotContain("<table", html);
        var (badDate, badDateHtml) = await web.GetAsync("/loggkontroll/utanfor-teamet?fran=4%2F12%2F2026");
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("Ange datumet som ÅÅÅÅ-MM-DD", badDateHtml);
        // Dates the reports cannot take (before 2000, which the API refuses; the last day there is) and a page beyond the
        // last: the form's 400, not the error page's 500.
        foreach (var query in new[] { "/loggkontroll/ovanlig-volym?fran=1999-12-31", "/loggkontroll/ovanlig-volym?till=9999-12-31", "/loggkontroll?sida=2000000" })
        {
            var (beyond, beyondHtml) = await web.GetAsync(query);
            Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
            Assert.Contains("Det finns ett problem", beyondHtml);
        }
        // Nothing was queried, so nothing was logged as a query (the reads above are the harness's own API queries).
        Assert.Equal(before + 1, (await AuditQueriesAsync()).Count);
    }

    [Fact]
    public async Task Reports_ShowTheNonMemberReadAndTheOutlierReport_AsTheApiDoes()
    {
        var caseId = await Scenario.OpenCaseAsync();
        var admin = await Scenario.As("admin");
        var unitId = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "samordnare2@falkenberg.example", displayName = "Andra samordnaren", unitId, roles = new[] { "Samordnare" },
            initialPassword = "Start-losenord-2026",
        });
        var body = await Admin.AdminSteps.ApproveAsync(await Scenario.As(Admin.AdminSteps.SecondAdmin), created);
        var second = Factory.CreateSspfClient();
        await second.SignInAsync("samordnare2@falkenberg.example", "Start-losenord-2026");
        await (await second.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
        var secondId = body.GetProperty("id").GetGuid();

        var web = await AuditorAsync();
        var (response, html) = await web.GetAsync("/loggkontroll/utanfor-teamet?fran=2020-01-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"/loggkontroll?anvandare={secondId}", html);
        Assert.Contains($"<code>{caseId}</code>", html);
        var (outliers, outliersHtml) = await web.GetAsync("/loggkontroll/ovanlig-volym");
        Assert.Equal(HttpStatusCode.OK, outliers.StatusCode);
        Assert.Contains("Ingen användare avviker under perioden.", outliersHtml); // two readers: no one reads 20 times more
        var purposes = (await AuditQueriesAsync()).Select(q => q.GetProperty("purpose").GetString()).ToList();
        Assert.Contains("/loggkontroll/utanfor-teamet?from=2020-01-01T00:00:00.0000000+01:00", purposes);
        Assert.Contains("/loggkontroll/ovanlig-volym", purposes);
    }

    [Fact]
    public async Task Verify_IntactLog_SaysSo_AndATamperedRow_IsNamedAsTheFirstBrokenEvent()
    {
        await Scenario.OpenCaseAsync();
        var web = await AuditorAsync();
        var (_, page) = await web.GetAsync("/loggkontroll");
        var (intact, intactHtml) = await web.PostFromAsync("/loggkontroll?handler=Verify", page);
        Assert.Equal(HttpStatusCode.OK, intact.StatusCode);
        Assert.Contains("Loggen är obruten.", intactHtml);
        Assert.DoesNotContain("Loggen är bruten.", intactHtml);
        Assert.Contains(await AuditQueriesAsync(), q => q.GetProperty("purpose").GetString() == "/loggkontroll?handler=Verify");

        // The first event of the first stripe the verifier walks.
        const string First = """
            "Stripe" = (SELECT MIN("Stripe") FROM "AccessEvents") AND "Sequence" = 1
            """;
        var target = Guid.Parse((await Raw.ScalarAsync($"""SELECT "Id" FROM "AccessEvents" WHERE {First}"""))!);
        Assert.Equal(1, await Raw.ExecuteAsync($"""UPDATE "AccessEvents" SET "Categories" = {Factory.Sql.Appended("Categories", "Health")} WHERE {First}"""));
        var (broken, brokenHtml) = await web.PostFromAsync("/loggkontroll?handler=Verify", page);
        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.Contains("Loggen är bruten.", brokenHtml);
        Assert.Contains($"Första brutna händelse: <code id=\"forsta-brutna\">{target}</code>", brokenHtml);
        // Without the antiforgery token the verification is not run at all.
        var (forged, _) = await web.PostFormAsync("/loggkontroll?handler=Verify", [], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task LoggkontrollPages_RefuseEveryoneButTheGranskare_AndLogTheRefusal()
    {
        foreach (var role in new[] { "samordnare", "admin", "analytiker" })
        {
            var web = new WebClient(Factory);
            (await web.SignInAsync(SspfClient.Demo(role))).RedirectsTo("/");
            var trail = new AuditTrail(Factory);
            await trail.MarkAsync();
            foreach (var url in new[] { "/loggkontroll", "/loggkontroll/utanfor-teamet", "/loggkontroll/ovanlig-volym" })
            {
                var (response, html) = await web.GetAsync(url);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Contains("Du saknar behörighet", html);
            }
            var (_, start) = await web.GetAsync("/");
            var (post, _) = await web.PostFromAsync("/loggkontroll?handler=Verify", start);
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Equal(Enumerable.Repeat("Refused/Refused", 4), (await trail.NewAsync()).Events.Select(e => e.ToString()));
        }
        (await new WebClient(Factory).GetAsync("/loggkontroll")).Response.RedirectsToSignIn();
    }
}
