using System.Data.Common;
using System.Net;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// Issue 23 items 18 and 19: while the database cannot be used every request is answered 503 with Retry-After and its
/// own problem type — never data, never an unexplained 500 — the outage is logged once, readiness says so, and both
/// recover by themselves. The outage: on SQLite another process holds the database's exclusive lock (the app waits one
/// second, then gets SQLITE_BUSY); on PostgreSQL the app role's sessions are terminated and the database admits no
/// new connection by it.
/// </summary>
public sealed class DatabaseFailureTests : IClassFixture<DatabaseFailureTests.Factory>
{
    private readonly Factory factory;

    public DatabaseFailureTests(Factory factory) => this.factory = factory;

    public sealed class Factory : SspfApiFactory
    {
        public Factory()
        {
            // The app gives up on a locked SQLite file after one second instead of thirty.
            if (Provider == "Sqlite") Settings["ConnectionStrings:Sspf"] = AppConnectionString + ";Default Timeout=1";
        }
    }

    [Fact]
    public async Task WhileTheDatabaseIsDown_EveryRequestIs503WithRetryAfter_LoggedOnce_AndAllRecoversByItself()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var caseId = await scenario.OpenCaseAsync();
        var school = await scenario.UserIdAsync("skola");
        var anonymous = factory.CreateClient();
        await (await anonymous.GetAsync("/health/ready")).EnsureStatusAsync(HttpStatusCode.OK);
        var linesBefore = factory.Logs.Lines.Count;

        await using (await Outage.StartAsync(factory))
        {
            var attempts = new List<HttpResponseMessage>
            {
                await coordinator.Http.GetAsync($"/api/cases/{caseId}"),
                await coordinator.Http.GetAsync("/api/cases"),
                await coordinator.Http.GetAsync($"/api/cases/{caseId}"),
                await coordinator.Http.PostAsync($"/api/cases/{caseId}/members", System.Net.Http.Json.JsonContent.Create(new { userId = school })),
                await anonymous.PostAsync(OpenIdServer.TokenPath, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "password", ["client_id"] = OpenIdServer.DevelopmentClientId, ["username"] = SspfClient.Demo("polis"), ["password"] = "fel",
                })),
            };
            foreach (var response in attempts)
            {
                await response.EnsureStatusAsync(HttpStatusCode.ServiceUnavailable);
                Assert.Equal(TimeSpan.FromSeconds(DatabaseOutage.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
                var problem = await response.JsonAsync();
                Assert.Equal(DatabaseOutage.ProblemType, problem.GetProperty("type").GetString());
                Assert.Equal("DatabaseUnavailable", problem.GetProperty("code").GetString());
                // Fails closed: nothing of the case, even where the case itself could still be read.
                Assert.DoesNotContain("Testsson", await response.Content.ReadAsStringAsync());
            }
            var ready = await anonymous.GetAsync("/health/ready");
            await ready.EnsureStatusAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        }

        var duringOutage = factory.Logs.Lines.Skip(linesBefore).ToList();
        Assert.Single(duringOutage, l => l.Contains("Database unavailable (", StringComparison.Ordinal));
        // Besides that line, only the readiness probes' own reports (once per probe, not per request) are errors.
        var requestLines = duringOutage.Where(l => !l.StartsWith("Error Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(requestLines, l => l.StartsWith("Error", StringComparison.Ordinal) && !l.Contains("Database unavailable (", StringComparison.Ordinal));
        Assert.DoesNotContain(requestLines, l => l.Contains("   at ", StringComparison.Ordinal));

        // Back by itself: readiness first (it also closes the outage in the log), then the requests.
        HttpResponseMessage? readyAgain = null;
        for (var i = 0; i < 20 && readyAgain?.StatusCode != HttpStatusCode.OK; i++)
        {
            if (i > 0) await Task.Delay(250);
            readyAgain = await anonymous.GetAsync("/health/ready");
        }
        await readyAgain!.EnsureStatusAsync(HttpStatusCode.OK);
        await (await coordinator.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Contains(factory.Logs.Lines, l => l.Contains("Database available again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_WhenTheDataFolderCannotBeWritten_IsUnhealthy_AndRecoversByItself()
    {
        var client = factory.CreateClient();
        await (await client.GetAsync("/health/ready")).EnsureStatusAsync(HttpStatusCode.OK);
        if (factory.Sql.IsServer)
        {
            // A server database's write probe asks the server (PostgreSQL commits a transaction id, SQL Server checks the
            // database is not read-only); the data folder holds no database there.
            Assert.Equal("Healthy", await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync());
            return;
        }
        // A directory where the probe writes its file: every write there fails, as on a full or read-only disk
        // (the tests run as root, to whom permissions are no obstacle).
        var blocker = Path.Combine(factory.DataDirectory, DatabaseHealthCheck.ProbeFileName);
        Directory.CreateDirectory(blocker);
        try
        {
            var ready = await client.GetAsync("/health/ready");
            await ready.EnsureStatusAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(blocker);
        }
        await (await client.GetAsync("/health/ready")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>Takes the database away from the app until disposed.</summary>
    private sealed class Outage(SspfApiFactory factory, DbConnection holder) : IAsyncDisposable
    {
        public static async Task<Outage> StartAsync(SspfApiFactory factory)
        {
            var holder = await new RawDatabase(factory).OpenAsync();
            foreach (var sql in factory.Sql.StartOutage(holder.Database, factory.AppConnectionString))
                await RawDatabase.ExecuteOnAsync(holder, sql);
            return new Outage(factory, holder);
        }

        public async ValueTask DisposeAsync()
        {
            await RawDatabase.ExecuteOnAsync(holder, factory.Sql.EndOutage(holder.Database));
            await holder.DisposeAsync();
        }
    }
}
