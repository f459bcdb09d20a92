using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// Issue 22, round sixteen: the README recommends a connection pool of about five connections per database core, fewer
/// than the requests a busy instance serves at once (bench/results/load.md: PostgreSQL's CPU per read fell by a sixth).
/// That is safe only while no request holds a pooled connection and waits for a second one — the access log's group
/// commit writes with a connection of its own — or every connection would be held by a request waiting for one more,
/// until Npgsql's Timeout. Here the pool has two connections and a short Timeout, and reads, lists, transitions and
/// openings all run at once.
/// </summary>
public sealed class SmallPoolTests : IClassFixture<SmallPoolTests.Factory>
{
    private readonly Factory factory;

    public SmallPoolTests(Factory factory) => this.factory = factory;

    public sealed class Factory : SspfApiFactory
    {
        public Factory()
        {
            if (Provider == "Postgres") Settings["ConnectionStrings:Sspf"] = AppConnectionString + ";Maximum Pool Size=2;Timeout=5";
        }
    }

    [Fact]
    public async Task WithTwoPooledConnections_FortyConcurrentRequestsOfEveryKind_AllSucceed_AndEveryReadIsLogged()
    {
        if (factory.Provider != "Postgres") Assert.Skip("Npgsql's pool: the tests' SQLite connections are not pooled (Pooling=False).");
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var cases = new List<Guid>();
        for (var i = 0; i < 5; i++) cases.Add(await scenario.OpenCaseAsync());
        var readsBefore = await ReadEventsAsync(cases);

        async Task<HttpStatusCode[]> CloseAndReopenAsync(Guid caseId)
        {
            var close = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "Other" });
            var reopen = await coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Reopen" });
            return [close.StatusCode, reopen.StatusCode];
        }
        var reads = Enumerable.Range(0, 25).Select(i => coordinator.Http.GetAsync($"/api/cases/{cases[i % cases.Count]}")).ToList();
        var lists = Enumerable.Range(0, 5).Select(_ => coordinator.Http.GetAsync("/api/cases?page=1&pageSize=25")).ToList();
        var transitions = cases.Select(CloseAndReopenAsync).ToList();
        var openings = Enumerable.Range(0, 5).Select(_ => scenario.OpenCaseAsync(age: 13)).ToList();
        await Task.WhenAll(reads.Concat(lists).Cast<Task>().Concat(openings).Concat(transitions));

        foreach (var response in reads.Concat(lists)) await (await response).EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal(5, (await Task.WhenAll(openings)).Distinct().Count()); // each 201 with its own case (OpenCaseAsync checks)
        foreach (var statuses in transitions) Assert.All(await statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        // Every read's event was committed before its answer, by the group commit's own connection.
        Assert.Equal(readsBefore + reads.Count, await ReadEventsAsync(cases));
    }

    /// <summary>The cases' Read events in the log.</summary>
    private async Task<long> ReadEventsAsync(IEnumerable<Guid> cases) => long.Parse(
        (await new RawDatabase(factory).ScalarAsync(
            $"""SELECT COUNT(*) FROM "AccessEvents" WHERE "Action" = 'Read' AND "CaseId" IN ({string.Join(", ", cases.Select(factory.Sql.Literal))})"""))!,
        System.Globalization.CultureInfo.InvariantCulture);
}
