using System.Net;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>A fresh app per test (tampering breaks the chain for everyone after), read through the Granskare's endpoints and raw SQL.</summary>
public abstract class AuditLogHarness : IAsyncLifetime
{
    protected SspfApiFactory Factory { get; } = new();
    protected RawDatabase Raw => new(Factory);
    private CaseScenario? scenario;
    protected CaseScenario Scenario => scenario!;

    public async ValueTask InitializeAsync() => scenario = await CaseScenario.CreateAsync(Factory);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A server database (PostgreSQL, SQL Server): an owner, and an application login that may not change the log.</summary>
    protected bool HasRoles => Factory.Sql.IsServer;

    /// <summary>The access events (as GET /api/audit/events shows them to the Granskare), oldest first.</summary>
    protected async Task<List<JsonElement>> EventsAsync(Guid? caseId = null, Guid? userId = null)
    {
        var auditor = await Scenario.As("granskare");
        var events = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var query = $"/api/audit/events?page={page}&pageSize=100" + (caseId is { } c ? $"&caseId={c}" : "") + (userId is { } u ? $"&userId={u}" : "");
            var response = await auditor.Http.GetAsync(query);
            await response.EnsureStatusAsync(HttpStatusCode.OK);
            var body = await response.JsonAsync();
            var items = body.GetProperty("items").EnumerateArray().ToList();
            events.AddRange(items);
            if (events.Count >= body.GetProperty("totalCount").GetInt32() || items.Count == 0) return events;
        }
    }

    protected static string Action(JsonElement e) => e.GetProperty("action").GetString()!;

    protected async Task<JsonElement> VerifyAsync()
    {
        var response = await (await Scenario.As("granskare")).Http.GetAsync("/api/audit/verify");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    /// <summary>The SQL that reads a case's version (its optimistic-concurrency counter) as stored.</summary>
    protected string VersionSql(Guid caseId) => $"""SELECT "Version" FROM "Cases" WHERE "Id" = {Factory.Sql.Literal(caseId)}""";

    /// <summary>Makes every <paramref name="operation"/> (INSERT, UPDATE) on <paramref name="table"/> fail, as a full disk or a lost connection would.</summary>
    protected Task FailEveryAsync(string operation, string table) => Raw.ExecuteAsync(Factory.Sql.RefuseEvery(operation, table));

    protected Task StopFailingAsync(string table) => Raw.ExecuteAsync(Factory.Sql.StopRefusing(table));
}
