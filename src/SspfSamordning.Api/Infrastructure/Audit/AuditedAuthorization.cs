using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// Logs a signed-in caller's request that an endpoint's policy refuses (403) before the endpoint runs: a Refused event
/// with the case (or concern report) in the route, if any. A request without a valid session (401) is not logged: it
/// has no actor, and logging it would let anyone on the network fill the log (login failures are logged by Login).
/// </summary>
public sealed class AuditedAuthorization(AuditLog log) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler inner = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var path = context.Request.Path;
            var routeId = context.Request.RouteValues.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var id) ? id : (Guid?)null;
            // The web pages' case and orosanmälan addresses (/arenden/{id}/…, /orosanmalningar/{id}) as the API's.
            var entityType = path.StartsWithSegments("/api/cases") || path.StartsWithSegments("/arenden") ? AuditFilter.Case
                : path.StartsWithSegments("/api/concern-reports") || path.StartsWithSegments("/orosanmalningar") ? AuditFilter.ConcernReport : null;
            var audit = context.RequestServices.GetRequiredService<IAuditContext>();
            await log.AppendAsync(audit.NewEvent(AuditAction.Refused, AuditDecision.Refused,
                caseId: entityType == AuditFilter.Case ? routeId : null, entityType: entityType, entityId: entityType is null ? null : routeId),
                context.RequestAborted);
        }
        await inner.HandleAsync(next, context, policy, result);
    }
}
