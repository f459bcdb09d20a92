using System.Net;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Tests.Workflows;

public sealed class WorkflowTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task List_ReturnsAllSevenWorkflows_WithStatesTriggersAndGuards()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var response = await (await scenario.As("skola")).Http.GetAsync("/api/workflows");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        Assert.Equal(7, body.GetProperty("totalCount").GetInt32());
        var workflows = body.GetProperty("items").EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!);
        Assert.Equal(["Case", "ConcernReport", "Consent", "Disclosure", "FollowUp", "Intervention", "Meeting"], workflows.Keys.Order());

        var report = workflows["ConcernReport"];
        Assert.Equal("Received", report.GetProperty("initialState").GetString());
        Assert.Equal(Enum.GetNames<ConcernReportState>(), report.GetProperty("states").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(Enum.GetNames<ConcernReportTrigger>(), report.GetProperty("triggers").EnumerateArray().Select(s => s.GetString()));
        var direct = Assert.Single(report.GetProperty("transitions").EnumerateArray(),
            t => t.GetProperty("from").GetString() == "Received" && t.GetProperty("trigger").GetString() == "OpenInvestigation");
        Assert.Equal(["Anmälan gäller våld mot barnet"], direct.GetProperty("guards").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task Mermaid_IsTheWorkflowsDiagramAsPlainText_AndUnknownNameIs404()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var client = (await scenario.As("polis")).Http;
        var response = await client.GetAsync("/api/workflows/ConcernReport.mmd");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(ConcernReport.Definition.Mermaid, text);
        Assert.StartsWith("stateDiagram-v2\n", text, StringComparison.Ordinal);
        Assert.EndsWith("[*] --> Received\n", text, StringComparison.Ordinal);
        Assert.Contains("Received --> InvestigationOpened : OpenInvestigation [Anmälan gäller våld mot barnet]", text, StringComparison.Ordinal);

        await (await client.GetAsync("/api/workflows/consent.mmd")).EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/api/workflows/Nonexistent.mmd")).EnsureStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Workflows_RequireSignIn()
    {
        using var anonymous = factory.CreateClient();
        await (await anonymous.GetAsync("/api/workflows")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("/api/workflows/Case.mmd")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }
}
