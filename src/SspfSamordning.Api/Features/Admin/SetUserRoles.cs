using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// PUT /api/admin/users/{id}/roles: sets the user's roles. A change that only removes roles takes effect at once (200)
/// and ends the user's sessions; a change that adds any role is a four-eyes request (202 with the pending
/// <see cref="RoleGrant"/>) that a second administrator approves. Nobody changes their own roles.
/// </summary>
public static class SetUserRoles
{
    public sealed record Request(IReadOnlyList<string>? Roles);
    public sealed record Response(Guid Id, IReadOnlyList<string> Roles);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPut("/users/{id:guid}/roles", Handle).RequireAuthorization(Policies.Admin);

    internal static async Task<Results<Ok<Response>, Accepted<RoleGrant.View>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit,
        SessionStore tokens, TimeProvider time, CancellationToken ct)
    {
        var errors = AdminScope.ValidateRoles(request.Roles);
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await db.FindManagedUserAsync(principal, id, ct) is not { } user) return Problems.NotFound();
        if (AdminScope.RefuseSelf(principal, id, "Du kan inte ändra dina egna roller") is { } self) return self;

        var wanted = request.Roles!.Distinct().Order(StringComparer.Ordinal).ToList();
        var current = await users.GetRolesAsync(user);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (wanted.Except(current).Any())
        {
            var grant = await RoleGrant.RequestAsync(db, audit, principal, user.Id, wanted, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Accepted((string?)null, grant.ToView(user));
        }
        await RoleGrant.SupersedePendingAsync(db, principal, user.Id, now, ct);
        await AdminScope.ApplyRolesAsync(users, tokens, user, wanted, ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "Roles"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new Response(user.Id, wanted));
    }
}
