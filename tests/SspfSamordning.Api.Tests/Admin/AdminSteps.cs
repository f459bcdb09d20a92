using System.Net;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Admin;

/// <summary>The second step of a four-eyes role change, for tests that need an account with roles.</summary>
public static class AdminSteps
{
    /// <summary>The demo's second administrator, who approves what <c>admin@falkenberg.example</c> asks for.</summary>
    public const string SecondAdmin = "admin2";

    /// <summary>
    /// Approves, as <paramref name="approver"/>, the pending grant of a <c>POST /api/admin/users</c> (201) or
    /// <c>PUT /api/admin/users/{id}/roles</c> (202) answer; returns that answer's body.
    /// </summary>
    public static async Task<JsonElement> ApproveAsync(SspfClient approver, HttpResponseMessage requested)
    {
        var body = await requested.JsonAsync();
        var grantId = GrantId(body);
        var approved = await approver.Http.PostAsync($"/api/admin/role-grants/{grantId}/approve", null);
        await approved.EnsureStatusAsync(HttpStatusCode.OK);
        return body;
    }

    public static Guid GrantId(JsonElement requestedBody) =>
        (requestedBody.TryGetProperty("pendingRoleGrant", out var grant) ? grant : requestedBody).GetProperty("id").GetGuid();
}
