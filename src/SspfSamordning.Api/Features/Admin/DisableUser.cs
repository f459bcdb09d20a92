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

    private static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, TokenService tokens, CancellationToken ct)
    {
        if (await db.FindManagedUserAsync(principal, id, ct) is not { } user) return Problems.NotFound();
        if (AdminScope.RefuseSelf(principal, id, "Du kan inte stänga av ditt eget konto") is { } self) return self;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        user.IsDisabled = true;
        AdminScope.Check(await users.UpdateSecurityStampAsync(user));
        await tokens.RevokeAllSessionsAsync(user.Id, "disabled", ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "Disabled"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
