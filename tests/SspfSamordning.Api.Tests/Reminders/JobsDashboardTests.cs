using System.Net;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using WebClient = SspfSamordning.Api.Tests.Web.WebClient;
using SspfSamordning.Api.Tests.Web;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Reminders;

/// <summary>Hangfire's dashboard at /admin/jobs: an Administratör with a second factor sees it; everyone else gets 404.</summary>
public sealed class JobsDashboardTests(SmtpApiFactory factory) : IClassFixture<SmtpApiFactory>
{
    private static readonly string[] Pages = ["/admin/jobs", "/admin/jobs/jobs/succeeded", "/admin/jobs/recurring", "/admin/jobs/stats"];

    [Fact]
    public async Task Anonymous_OtherRoles_AndAnAdministratorWithoutSecondFactor_Get404()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var anonymous = factory.CreateClient();
        // An administrator signed in with the password alone (before enrolling an authenticator): the second
        // administrator, whom no test of this class enrols (the other test enrols "admin", in whatever order they run).
        var passwordOnly = factory.CreateSspfClient();
        await passwordOnly.SignInWithPasswordAsync(SspfClient.Demo("admin2"));
        var others = new List<HttpClient> { anonymous, passwordOnly.Http };
        foreach (var role in new[] { "samordnare", "socialsekreterare", "granskare", "analytiker" })
            others.Add((await scenario.As(role)).Http);
        var forged = factory.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        others.Add(forged);

        foreach (var client in others)
            foreach (var page in Pages)
            {
                var response = await client.GetAsync(page);
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.DoesNotContain("Hangfire", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            }
        // The dashboard's own actions (read-only for everyone anyway) are hidden the same way.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/admin/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "reminders")]))).StatusCode);
    }

    [Fact]
    public async Task AnAdministratorWithSecondFactor_SeesTheJobs_WithoutPersonalData()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var personnummer = TestPersonnummer.AgedOn(14, factory.Clock.GetUtcNow());
        var caseId = await scenario.OpenCaseAsync(personnummer: personnummer);
        await scenario.RequestConsentAsync(caseId);
        var deadline = await factory.DeadlineAsync(DeadlineKind.ConsentUnanswered, caseId);
        factory.Clock.Set(deadline.DueAt.AddMinutes(1));
        Assert.True((await factory.DispatchAsync()).EmailJobsPerformed >= 2);

        await scenario.RenewSessionsAsync();
        var admin = (await scenario.As("admin")).Http;
        foreach (var page in Pages.Take(3))
        {
            var response = await admin.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("Hangfire", html, StringComparison.Ordinal);
            Assert.DoesNotContain("@falkenberg.example", html, StringComparison.Ordinal);
            Assert.DoesNotContain(personnummer[2..8], html, StringComparison.Ordinal);
            Assert.DoesNotContain("Password", html, StringComparison.OrdinalIgnoreCase);
        }
        // The succeeded e-mail jobs, and one of them in detail: the delivery id is all they carry.
        var list = await (await admin.GetAsync("/admin/jobs/jobs/succeeded")).Content.ReadAsStringAsync();
        Assert.Contains("E-mail delivery", list, StringComparison.Ordinal);
        var jobId = System.Text.RegularExpressions.Regex.Match(list, "/admin/jobs/jobs/details/([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(jobId);
        var details = await (await admin.GetAsync($"/admin/jobs/jobs/details/{jobId}")).Content.ReadAsStringAsync();
        Assert.Contains("EmailDeliveryJob", details, StringComparison.Ordinal);
        foreach (var personal in new[] { "@falkenberg.example", personnummer[2..8], "samtycke", "Du har en uppgift" })
            Assert.DoesNotContain(personal, details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWebCookieSession_OfAnAdministratorWithSecondFactor_OpensTheDashboard_AndNoOtherSessionDoes()
    {
        var admin = new WebClient(factory);
        (await admin.SignInAsync(SspfClient.Demo("admin"))).RedirectsTo("/");
        var (shown, html) = await admin.GetAsync("/admin/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Hangfire", html, StringComparison.Ordinal);
        // Read-only for the cookie too: a trigger is refused by the dashboard itself.
        Assert.Equal(HttpStatusCode.Forbidden,
            (await admin.Http.PostAsync("/admin/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "reminders")]))).StatusCode);

        // Another role's full session, and an administrator's password-only session: 404 as for anyone.
        var auditor = new WebClient(factory);
        (await auditor.SignInAsync(SspfClient.Demo("granskare"))).RedirectsTo("/");
        var passwordOnly = new WebClient(factory);
        (await passwordOnly.SubmitPasswordAsync(SspfClient.Demo("admin2"))).Response.RedirectsTo("/tvastegsverifiering");
        foreach (var refused in new[] { auditor, passwordOnly })
        {
            var (response, body) = await refused.GetAsync("/admin/jobs");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Hangfire", body, StringComparison.OrdinalIgnoreCase);
        }

        // Signing out ends the cookie's access at once.
        var (_, start) = await admin.GetAsync("/");
        await admin.PostFromAsync("/logga-ut", start);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/jobs")).Response.StatusCode);
    }
}
