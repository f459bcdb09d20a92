using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>POST /api/auth/logout: ends the caller's session — its refresh tokens and its access token.</summary>
public static class Logout
{
    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/logout", Handle).RequireAuthorization(Policies.AnySession);

    private static async Task<NoContent> Handle(ClaimsPrincipal user, SessionStore tokens, IAuditContext audit, AuditLog log, CancellationToken ct)
    {
        await EndSessionAsync(user, tokens, audit, log, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Ends the caller's login session and logs it: the API's logout and the web page's (/logga-ut).</summary>
    internal static async Task EndSessionAsync(ClaimsPrincipal user, SessionStore tokens, IAuditContext audit, AuditLog log, CancellationToken ct)
    {
        await tokens.RevokeSessionAsync(user.SessionIdOf(), "logout", ct);
        await log.AppendAsync(audit.NewEvent(AuditAction.Logout), ct);
    }
}
