using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using SspfSamordning.Api.Tests.Authorization;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Platform;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// Completeness of the access log (issue 7) for every endpoint outside /api/cases — the case endpoints are walked by the
/// authorization matrix, which checks the log of every call with <see cref="ExpectedAudit"/>. Every endpoint, taken from
/// the endpoint data source, is called as every demo caller; each call must answer the expected status and leave exactly
/// the expected events (kinds, decisions, order). A new endpoint without an entry in <see cref="Probes"/> fails the walk.
/// </summary>
public sealed class AuditCompletenessTests : AuditLogHarness
{
    /// <summary>What the walk arranged: a concern report filed by the school, and an account for the administrator to change,
    /// whose roles wait for a second administrator (a grant the administrator asked for).</summary>
    private sealed record Arranged(Guid ReportId, Guid SchoolId, Guid ExtraUserId, Guid GrantId);

    private sealed record WalkProbe(
        Func<Caller, Arranged, object?> Body,
        Func<Caller, Arranged, HttpStatusCode> Status,
        Func<Caller, Arranged, string, List<LoggedEvent>> Events,
        bool Anonymous = false);

    private static readonly string[] CaseRoles = [.. AccessRules.CaseRoles];
    private static readonly string[] StatisticsRoles = ["Analytiker", "Samordnare"];
    private static readonly Func<Caller, Arranged, object?> NoBody = (_, _) => null;
    private static readonly Func<Caller, Arranged, string, List<LoggedEvent>> Nothing = (_, _, _) => [];
    /// <summary>The Granskare's query of the access log is itself an event (issue 16).</summary>
    private static readonly Func<Caller, Arranged, string, List<LoggedEvent>> AuditQuery = (_, _, _) => [new("AuditQuery", "Allowed", null)];
    private static readonly Func<Caller, Arranged, string, List<LoggedEvent>> OAuthRefused = (_, _, _) => [new("OAuthRefused", "Refused", null)];
    private static HttpStatusCode OkFor(Caller who, params string[] roles) => roles.Contains(who.Role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
    /// <summary>A policy refusal (403) is logged; an admitted call logs what <paramref name="admitted"/> says.</summary>
    private static Func<Caller, Arranged, string, List<LoggedEvent>> RefusedElse(string[] roles, Func<Caller, Arranged, string, List<LoggedEvent>> admitted) =>
        (who, a, body) => roles.Contains(who.Role) ? admitted(who, a, body) : [ExpectedAudit.Refused()];

    private static readonly IReadOnlyDictionary<string, WalkProbe> Probes = new Dictionary<string, WalkProbe>
    {
        // Authentication: tokens come only from /connect/* (not in the OpenAPI document; their refusals: OpenIdServerTests).
        // Account changes with the right password but nothing to change: nothing logged. Recovery codes change: logged.
        ["POST /api/auth/password"] = new((_, _) => new { currentPassword = SspfClient.DemoPassword, newPassword = "" },
            (_, _) => HttpStatusCode.BadRequest, Nothing),
        ["POST /api/auth/2fa/setup"] = new((_, _) => new { currentPassword = SspfClient.DemoPassword }, (_, _) => HttpStatusCode.Conflict, Nothing),
        ["POST /api/auth/2fa/enable"] = new((_, _) => new { currentPassword = SspfClient.DemoPassword, code = "000000" },
            (_, _) => HttpStatusCode.Conflict, Nothing),
        ["POST /api/auth/2fa/recovery-codes"] = new((_, _) => new { currentPassword = SspfClient.DemoPassword }, (_, _) => HttpStatusCode.OK,
            (_, _, _) => [new("TwoFactorChanged", "Allowed", null)]),
        // The OpenID Connect endpoints without the parameters they need: OpenIddict's invalid_request (never a 500), one
        // OAuthRefused event each (OpenIdAudit; it names no one).
        ["POST /connect/token"] = new(NoBody, (_, _) => HttpStatusCode.BadRequest, OAuthRefused, Anonymous: true),
        ["GET /connect/authorize"] = new(NoBody, (_, _) => HttpStatusCode.BadRequest, OAuthRefused, Anonymous: true),
        ["POST /connect/authorize"] = new(NoBody, (_, _) => HttpStatusCode.BadRequest, OAuthRefused, Anonymous: true),
        ["POST /api/auth/logout"] = new(NoBody, (_, _) => HttpStatusCode.NoContent, (_, _, _) => [new("Logout", "Allowed", null)]),

        ["GET /api/me"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing),
        // Tasks name cases and reports: one List event per case or report listed.
        ["GET /api/me/tasks"] = new(NoBody, (who, _) => OkFor(who, CaseRoles),
            RefusedElse(CaseRoles, (_, _, body) => ExpectedAudit.ListedTasks(body))),

        // Notifications name a case number and a task, never content: reading them is not logged (policy refusals are).
        ["GET /api/me/notifications"] = new(NoBody, (who, _) => OkFor(who, CaseRoles), RefusedElse(CaseRoles, Nothing)),
        // The id is not one of the caller's notifications: 404, nothing changed.
        ["POST /api/me/notifications/{id:guid}/read"] = new(NoBody,
            (who, _) => CaseRoles.Contains(who.Role) ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden, RefusedElse(CaseRoles, Nothing)),
        // The staff directory names colleagues, no case data: not logged (policy refusals are).
        ["GET /api/staff"] = new(NoBody, (who, _) => OkFor(who, CaseRoles), RefusedElse(CaseRoles, Nothing)),
        // Queue counts only, no personal data.
        ["GET /api/admin/reminders"] = new(NoBody, (who, _) => OkFor(who, "Administratör"), RefusedElse(["Administratör"], Nothing)),

        ["POST /api/admin/users"] = new((_, _) => new { }, (who, _) => who.Role == "Administratör" ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden,
            RefusedElse(["Administratör"], Nothing)),
        // Registering an OAuth client without a client id: 400, nothing registered, nothing logged (policy refusals are).
        ["POST /api/admin/clients"] = new((_, _) => new { }, (who, _) => who.Role == "Administratör" ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden,
            RefusedElse(["Administratör"], Nothing)),
        // Client data, no personal data: listing is not logged. The walk's client id is no registered client: 404, nothing
        // changed, nothing logged (policy refusals are).
        ["GET /api/admin/clients"] = new(NoBody, (who, _) => OkFor(who, "Administratör"), RefusedElse(["Administratör"], Nothing)),
        ["PATCH /api/admin/clients/{clientId}"] = new((_, _) => new { displayName = "Ny" },
            (who, _) => who.Role == "Administratör" ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden, RefusedElse(["Administratör"], Nothing)),
        ["POST /api/admin/clients/{clientId}/secret"] = new(NoBody,
            (who, _) => who.Role == "Administratör" ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden, RefusedElse(["Administratör"], Nothing)),
        ["DELETE /api/admin/clients/{clientId}"] = new(NoBody,
            (who, _) => who.Role == "Administratör" ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden, RefusedElse(["Administratör"], Nothing)),
        // Adding a role is a four-eyes request: 202, logged; the change waits for a second administrator.
        ["PUT /api/admin/users/{id:guid}/roles"] = new((_, _) => new { roles = new[] { "Fritid" } },
            (who, _) => who.Role == "Administratör" ? HttpStatusCode.Accepted : HttpStatusCode.Forbidden,
            RefusedElse(["Administratör"], (_, _, _) => [new("AccountChanged", "Allowed", null)])),
        ["POST /api/admin/users/{id:guid}/two-factor/reset"] = new(NoBody,
            (who, _) => who.Role == "Administratör" ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden,
            RefusedElse(["Administratör"], (_, _, _) => [new("AccountChanged", "Allowed", null)])),
        // Account data only (no case data): listing is not logged.
        ["GET /api/admin/units"] = new(NoBody, (who, _) => OkFor(who, "Administratör"), RefusedElse(["Administratör"], Nothing)),
        // The accounts the administrator manages (the extra account among them): account data, no case data, not logged.
        ["GET /api/admin/users"] = new(NoBody, (who, _) => OkFor(who, "Administratör"), RefusedElse(["Administratör"], Nothing)),
        ["GET /api/admin/users/{id:guid}"] = new(NoBody, (who, _) => OkFor(who, "Administratör"), RefusedElse(["Administratör"], Nothing)),
        ["GET /api/admin/role-grants"] = new(NoBody, (who, _) => OkFor(who, "Administratör"), RefusedElse(["Administratör"], Nothing)),
        // The grant is the administrator's own request: approving it is refused (409, nothing changed), withdrawing it is logged.
        ["POST /api/admin/role-grants/{id:guid}/approve"] = new(NoBody,
            (who, _) => who.Role == "Administratör" ? HttpStatusCode.Conflict : HttpStatusCode.Forbidden, RefusedElse(["Administratör"], Nothing)),
        ["POST /api/admin/role-grants/{id:guid}/reject"] = new(NoBody, (who, _) => OkFor(who, "Administratör"),
            RefusedElse(["Administratör"], (_, _, _) => [new("AccountChanged", "Allowed", null)])),
        // The administrator (the one caller admitted) disables the extra account: logged.
        // The federation identifiers of the extra account: logged (never the values).
        ["PATCH /api/admin/users/{id:guid}"] = new((_, _) => new { employeeNumber = "4711" }, (who, _) => OkFor(who, "Administratör"),
            RefusedElse(["Administratör"], (_, _, _) => [new("AccountChanged", "Allowed", null)])),
        ["POST /api/admin/users/{id:guid}/disable"] = new(NoBody,
            (who, _) => who.Role == "Administratör" ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden,
            RefusedElse(["Administratör"], (_, _, _) => [new("AccountChanged", "Allowed", null)])),

        // Concern reports: socialtjänst reads and lists them; the reporter (the school) sees the status only.
        ["POST /api/concern-reports/"] = new((_, _) => new { }, (who, _) => CaseRoles.Contains(who.Role) ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden,
            RefusedElse(CaseRoles, Nothing)),
        ["GET /api/concern-reports/"] = new(NoBody, (who, _) => OkFor(who, AccessRules.Socialsekreterare),
            RefusedElse([AccessRules.Socialsekreterare], (_, _, body) => ExpectedAudit.Listed("List", body, withCase: false))),
        ["GET /api/concern-reports/{id:guid}"] = new(NoBody, (who, _) => OkFor(who, AccessRules.Socialsekreterare),
            RefusedElse([AccessRules.Socialsekreterare], (_, _, _) => [new("Read", "Allowed", null)])),
        ["GET /api/concern-reports/{id:guid}/status"] = new(NoBody,
            (who, _) => !CaseRoles.Contains(who.Role) ? HttpStatusCode.Forbidden
                : who.Role is "Skola" or AccessRules.Socialsekreterare && who.Municipality == "falkenberg" ? HttpStatusCode.OK : HttpStatusCode.NotFound,
            (who, _, _) => who.Role is "Skola" or AccessRules.Socialsekreterare && who.Municipality == "falkenberg"
                ? [new("Read", "Allowed", null)] : [ExpectedAudit.Refused()]),
        ["POST /api/concern-reports/{id:guid}/transitions"] = new((_, _) => new { trigger = "CloseInvestigation" },
            (who, _) => who.Role == AccessRules.Socialsekreterare ? HttpStatusCode.Conflict : HttpStatusCode.Forbidden,
            RefusedElse([AccessRules.Socialsekreterare], Nothing)),

        // No personal data: nothing to log.
        ["GET /api/workflows/"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing),
        ["GET /api/workflows/{name}.mmd"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing),
        ["ANY /health/live"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing, Anonymous: true),
        ["ANY /health/ready"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing, Anonymous: true),
        ["GET /openapi/{documentName}.json"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing, Anonymous: true),
        // The API reference (Development only): a page and its embedded scripts, no data.
        ["GET /scalar/{documentName?}"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing, Anonymous: true),
        ["GET /scalar/scalar.js"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing, Anonymous: true),
        ["GET /scalar/scalar.aspnetcore.js"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing, Anonymous: true),
        ["GET /scalar/favicon.svg"] = new(NoBody, (_, _) => HttpStatusCode.OK, Nothing, Anonymous: true),

        // The access log itself (Granskare).
        ["GET /api/audit/verify"] = new(NoBody, (who, _) => OkFor(who, "Granskare"), RefusedElse(["Granskare"], AuditQuery)),
        ["GET /api/audit/events"] = new(NoBody, (who, _) => OkFor(who, "Granskare"), RefusedElse(["Granskare"], AuditQuery)),
        ["GET /api/audit/checkpoints"] = new(NoBody, (who, _) => OkFor(who, "Granskare"), RefusedElse(["Granskare"], AuditQuery)),
        ["POST /api/audit/checkpoints"] = new(NoBody, (who, _) => OkFor(who, "Granskare"), RefusedElse(["Granskare"], Nothing)),
        ["GET /api/audit/reports/non-member-access"] = new(NoBody, (who, _) => OkFor(who, "Granskare"), RefusedElse(["Granskare"], AuditQuery)),
        ["GET /api/audit/reports/volume-outliers"] = new(NoBody, (who, _) => OkFor(who, "Granskare"), RefusedElse(["Granskare"], AuditQuery)),

        // Statistics (Analytiker, Samordnare; the caller's own municipality by default): each query is logged, once.
        ["GET /api/statistics"] = new(NoBody, (who, _) => OkFor(who, StatisticsRoles),
            RefusedElse(StatisticsRoles, (_, _, _) => [new("Read", "Allowed", null)])),
    };

    /// <summary>"METHOD pattern" of every endpoint outside /api/cases; logout last (it ends the session).</summary>
    private IReadOnlyList<string> Endpoints() =>
    [
        .. EndpointPolicyTests.Endpoints(Factory)
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/api/cases", StringComparison.Ordinal))
            // Pages answer the web cookie only: Web/WebPageAuditTests walks them with a signed-in browser session.
            .Where(e => !EndpointPolicyTests.IsPage(e))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct()
            .OrderBy(key => key == "POST /api/auth/logout" ? 1 : 0).ThenBy(key => key, StringComparer.Ordinal),
    ];

    [Fact]
    public void EveryEndpointOutsideCases_HasAnExpectation_AndEveryExpectationAnEndpoint()
    {
        var endpoints = Endpoints();
        var missing = endpoints.Except(Probes.Keys).ToList();
        var stale = Probes.Keys.Except(endpoints).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"Endpoints without an expectation:\n{string.Join("\n", missing)}\nExpectations without an endpoint:\n{string.Join("\n", stale)}");
    }

    [Fact]
    public async Task EveryEndpoint_AsEveryCaller_LeavesExactlyTheExpectedEvents()
    {
        var arranged = await ArrangeAsync();
        var clients = new Dictionary<string, SspfClient>();
        foreach (var who in Caller.All) clients[who.Label] = await Scenario.As(who.Name, who.Municipality);
        var trail = new AuditTrail(Factory);
        await trail.MarkAsync();

        var mismatches = new List<string>();
        foreach (var key in Endpoints())
        {
            if (!Probes.TryGetValue(key, out var probe))
            {
                mismatches.Add($"{key}: no expectation");
                continue;
            }
            foreach (var who in Caller.All)
            {
                using var response = await SendAsync(probe.Anonymous ? Factory.CreateClient() : clients[who.Label].Http, key, arranged, probe.Body(who, arranged));
                var body = await response.Content.ReadAsStringAsync();
                var expectedStatus = probe.Status(who, arranged);
                if (response.StatusCode != expectedStatus)
                    mismatches.Add($"{who.Label,-20} {key}: expected {(int)expectedStatus}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 160)]}");
                var (logged, _, _) = await trail.NewAsync();
                if (ExpectedAudit.Compare(probe.Events(who, arranged, body), logged) is { } problem)
                    mismatches.Add($"{who.Label,-20} {key} ({(int)response.StatusCode}): {problem}");
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} calls broke the expectations:\n{string.Join("\n", mismatches)}");
    }

    private async Task<Arranged> ArrangeAsync()
    {
        var reportId = await ConcernReports.ConcernReportSteps.FileAsync(Scenario);
        var admin = await Scenario.As("admin");
        var unitId = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = "extra@falkenberg.example", displayName = "Extra", unitId, roles = new[] { "Fritid" }, initialPassword = "Start-losenord-2026",
        });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await created.JsonAsync();
        return new Arranged(reportId, await Scenario.UserIdAsync("skola"), body.GetProperty("id").GetGuid(), Admin.AdminSteps.GrantId(body));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string key, Arranged a, object? body)
    {
        var (method, pattern) = (key[..key.IndexOf(' ')], key[(key.IndexOf(' ') + 1)..]);
        var url = pattern
            .Replace("/api/admin/users/{id:guid}", $"/api/admin/users/{a.ExtraUserId}", StringComparison.Ordinal)
            .Replace("/api/admin/role-grants/{id:guid}", $"/api/admin/role-grants/{a.GrantId}", StringComparison.Ordinal)
            .Replace("{id:guid}", a.ReportId.ToString(), StringComparison.Ordinal)
            .Replace("{name}", "Case", StringComparison.Ordinal)
            .Replace("{clientId}", "ingen-sadan-klient", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{documentName?}", "v1", StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method == "ANY" ? "GET" : method), url);
        if (body is not null) request.Content = JsonContent.Create(body);
        return client.SendAsync(request);
    }
}
