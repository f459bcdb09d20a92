using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Platform;

namespace SspfSamordning.Api.Tests.Authorization;

/// <summary>
/// The authorization matrix (issue 4): every case endpoint, taken from the endpoint data source, × every caller × every
/// relation, against the access rules of domain.md (<see cref="AccessRules"/>). One test per relation collects every
/// mismatch, so a failure lists all (endpoint, caller) pairs that broke. Reads run first; the changes are non-destructive.
/// Each call must also leave exactly the access events <see cref="ExpectedAudit"/> says (issue 7: completeness).
/// </summary>
public sealed partial class AuthorizationMatrixTests(MatrixFixture fixture) : IClassFixture<MatrixFixture>
{
    public static TheoryData<string> RelationNames => [.. MatrixFixture.Relations.Select(r => r.Name)];

    /// <summary>"METHOD pattern" of every endpoint under /api/cases: reads first, the member removal last.</summary>
    private IReadOnlyList<string> CaseEndpoints() =>
    [
        .. EndpointPolicyTests.Endpoints(fixture.Factory)
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/cases", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct()
            .OrderBy(key => key.StartsWith("GET ", StringComparison.Ordinal) ? 0 : key.StartsWith("DELETE ", StringComparison.Ordinal) ? 2 : 1)
            .ThenBy(key => key, StringComparer.Ordinal),
    ];

    [Fact]
    public void EveryCaseEndpoint_HasAProbe_AndEveryProbeAnEndpoint()
    {
        var endpoints = CaseEndpoints();
        Assert.True(endpoints.Count >= 30, $"only {endpoints.Count} case endpoints found");
        var unprobed = endpoints.Except(CaseEndpointTable.Probes.Keys).ToList();
        var stale = CaseEndpointTable.Probes.Keys.Except(endpoints).ToList();
        Assert.True(unprobed.Count == 0 && stale.Count == 0,
            $"Endpoints without a probe in CaseEndpointTable:\n{string.Join("\n", unprobed)}\nProbes without an endpoint:\n{string.Join("\n", stale)}");
    }

    [Theory]
    [MemberData(nameof(RelationNames))]
    public async Task EveryEndpoint_AnswersEveryCaller_AsTheAccessRulesSay(string relation)
    {
        var arranged = fixture.Cases[relation];
        var mismatches = new List<string>();
        var trail = new AuditTrail(fixture.Factory);
        await trail.MarkAsync();
        foreach (var key in CaseEndpoints())
        {
            if (!CaseEndpointTable.Probes.TryGetValue(key, out var probe))
            {
                mismatches.Add($"{key}: no probe (add one to CaseEndpointTable)");
                continue;
            }
            foreach (var who in Caller.All)
            {
                var expected = probe.Expect(who, arranged);
                using var response = await SendAsync(fixture.Client(who), key, arranged, probe.Body(arranged));
                var problem = !expected.Matches(response.StatusCode)
                    ? $"expected {expected}, got {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}"
                    : response.StatusCode == HttpStatusCode.OK && probe.Check is { } check ? check(who, arranged, await response.JsonAsync()) : null;
                if (problem is not null) mismatches.Add($"{who.Label,-20} {key}: {problem}");
                var (logged, transitions, saved) = await trail.NewAsync();
                var expectedEvents = ExpectedAudit.ForCaseCall(key, arranged.CaseId, response.StatusCode, await response.Content.ReadAsStringAsync(), transitions, saved);
                if (ExpectedAudit.Compare(expectedEvents, logged) is { } auditProblem)
                    mismatches.Add($"{who.Label,-20} {key} ({(int)response.StatusCode}): {auditProblem}");
                if (key.StartsWith("DELETE ", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.NoContent)
                {
                    await RestoreMemberAsync(fixture.Client(who), arranged);
                    await trail.MarkAsync();
                }
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} answers break the access rules for relation {relation}:\n{string.Join("\n", mismatches)}");
    }

    /// <summary>
    /// Property level: the history shows the transitions of a disclosure without consent only to those who may see the
    /// disclosure (socialtjänst and the police member it names). The arranged background disclosure names the other
    /// police officer and was revoked with a reason, so only socialtjänst may see its events.
    /// </summary>
    [Fact]
    public async Task History_ShowsDisclosureEvents_OnlyToThoseWhoMaySeeTheDisclosure()
    {
        var leaks = new List<string>();
        foreach (var arranged in fixture.Cases.Values.Where(a => a.DisclosureId is not null))
        foreach (var who in Caller.All.Where(c => AccessRules.Shared(c, arranged.Relation) is not null))
        {
            var history = await (await fixture.Client(who).Http.GetAsync($"/api/cases/{arranged.CaseId}/history?pageSize=100")).JsonAsync();
            var shown = history.GetProperty("items").EnumerateArray()
                .Where(e => e.GetProperty("subjectId").GetGuid() == arranged.DisclosureId)
                .Select(e => $"{e.GetProperty("workflow").GetString()} {e.GetProperty("from").GetString()}→{e.GetProperty("to").GetString()} ({e.GetProperty("reason").GetString()})")
                .ToList();
            if (shown.Count > 0 != AccessRules.SeesDisclosuresNaming(who, "polis-matris"))
                leaks.Add($"{who.Label,-20} {arranged.Relation.Name}: [{string.Join(", ", shown)}]");
        }
        Assert.True(leaks.Count == 0, "The history shows disclosure events to callers who may not see the disclosure (or hides them from socialtjänst):\n" + string.Join("\n", leaks));
    }

    /// <summary>The request for <paramref name="key"/>, with the arranged case's ids in the route (a random id for an item the relation lacks).</summary>
    private static Task<HttpResponseMessage> SendAsync(SspfClient client, string key, ArrangedCase a, object? body)
    {
        var (method, pattern) = (key[..key.IndexOf(' ')], key[(key.IndexOf(' ') + 1)..]);
        var url = RouteParameter().Replace(pattern, m => m.Groups[1].Value switch
        {
            "id" => a.CaseId.ToString(),
            "consentId" => (a.ConsentId ?? Guid.NewGuid()).ToString(),
            "meetingId" => a.MeetingId.ToString(),
            "interventionId" => (a.InterventionId ?? Guid.NewGuid()).ToString(),
            "followUpId" => (a.FollowUpId ?? Guid.NewGuid()).ToString(),
            "disclosureId" => (a.DisclosureId ?? Guid.NewGuid()).ToString(),
            "userId" => a.CoordinatorId.ToString(),
            var name => throw new InvalidOperationException($"{key}: no value for route parameter {name}"),
        });
        if (method == "GET") url += "?pageSize=100";
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = JsonContent.Create(body);
        return client.Http.SendAsync(request);
    }

    /// <summary>The coordinator removed itself from the team (the one removal that changes nothing the matrix looks at): add it back.</summary>
    private static async Task RestoreMemberAsync(SspfClient coordinator, ArrangedCase a) =>
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{a.CaseId}/members", new { userId = a.CoordinatorId }))
            .EnsureStatusAsync(HttpStatusCode.Created);

    private static string Shorten(string body) => body.Length <= 160 ? body : body[..160] + "…";

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
