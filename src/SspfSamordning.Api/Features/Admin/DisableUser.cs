using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>POST /api/admin/users/{id}/disable: the account can no longer sign in, and its open sessions end on their next request.</summary>
public static class DisableUser
{
    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPost("/users/{id:guid}/disable", Handle).RequireAuthorization(Policies.Admin);

    internal static Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, SessionStore tokens, CancellationToken ct) =>
        db.ChangeAccountAsync(principal, id, "Du kan inte stänga av ditt eget konto", async user =>
        {
            user.IsDisabled = true;
            AdminScope.Check(await users.UpdateSecurityStampAsync(user));
        }, tokens, "disabled", audit, "Disabled", ct);
}
