using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>PUT /api/admin/users/{id}/roles: replaces the user's roles. The user's sessions end at once.</summary>
public static class SetUserRoles
{
    public sealed record Request(IReadOnlyList<string>? Roles);
    public sealed record Response(Guid Id, IReadOnlyList<string> Roles);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPut("/users/{id:guid}/roles", Handle).RequireAuthorization(Policies.Admin);

    private static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit,
        TokenService tokens, CancellationToken ct)
    {
        var errors = AdminScope.ValidateRoles(request.Roles);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await db.FindManagedUserAsync(principal, id, ct) is not { } user) return Problems.NotFound();

        var wanted = request.Roles!.Distinct().ToList();
        var current = await users.GetRolesAsync(user);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        Check(await users.RemoveFromRolesAsync(user, current.Except(wanted)));
        Check(await users.AddToRolesAsync(user, wanted.Except(current)));
        Check(await users.UpdateSecurityStampAsync(user));
        await tokens.RevokeAllSessionsAsync(user.Id, "roles-changed", ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "Roles"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new Response(user.Id, wanted.Order(StringComparer.Ordinal).ToList()));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Role update failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}
