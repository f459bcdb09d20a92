using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// POST /api/admin/users/{id}/two-factor/reset: for a person who lost the authenticator app. The second factor is turned
/// off, the authenticator key renewed and the recovery codes voided; the user's sessions end, and the user enrols again
/// (POST /api/auth/2fa/setup) before any case route opens. Nobody resets their own second factor.
/// </summary>
public static class ResetTwoFactor
{
    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPost("/users/{id:guid}/two-factor/reset", Handle).RequireAuthorization(Policies.Admin);

    internal static Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, SessionStore tokens, CancellationToken ct) =>
        db.ChangeAccountAsync(principal, id, "Du kan inte återställa din egen tvåstegsverifiering", async user =>
        {
            AdminScope.Check(await users.SetTwoFactorEnabledAsync(user, false));
            AdminScope.Check(await users.ResetAuthenticatorKeyAsync(user));
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        }, tokens, "two-factor-reset", audit, "TwoFactorReset", ct);
}
