using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// POST /api/admin/role-grants/{id}/approve and /reject: the second step of a four-eyes role change. Only an administrator
/// who manages the account may decide (another municipality's grant answers 404); the requester may withdraw (reject)
/// but never approve, and nobody decides a grant of their own roles. The state is claimed with a conditional update, so
/// two administrators deciding at once cannot both succeed. Approving sets the account's roles and ends its sessions.
/// </summary>
public static class DecideRoleGrant
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/role-grants/{id:guid}/approve", Approve).RequireAuthorization(Policies.Admin);
        admin.MapPost("/role-grants/{id:guid}/reject", Reject).RequireAuthorization(Policies.Admin);
    }

    internal static Task<Results<Ok<RoleGrant.View>, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, SessionStore tokens,
        TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, RoleGrantState.Approved, principal, db, users, audit, tokens, time, ct);

    internal static Task<Results<Ok<RoleGrant.View>, ValidationProblem, ProblemHttpResult>> Reject(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, SessionStore tokens,
        TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, RoleGrantState.Rejected, principal, db, users, audit, tokens, time, ct);

    private static async Task<Results<Ok<RoleGrant.View>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid id, RoleGrantState decision, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit,
        SessionStore tokens, TimeProvider time, CancellationToken ct)
    {
        if (await db.Set<RoleGrant>().SingleOrDefaultAsync(g => g.Id == id, ct) is not { } grant) return Problems.NotFound();
        if (await db.FindManagedUserAsync(principal, grant.UserId, ct) is not { } user) return Problems.NotFound();
        if (grant.State != RoleGrantState.Pending) return AlreadyDecided(grant.State);
        var me = principal.UserId();
        if (grant.UserId == me) return Problems.Conflict("Du kan inte besluta om dina egna roller", "Be en annan administratör.");
        if (decision == RoleGrantState.Approved && grant.RequestedByUserId == me)
            return Problems.Conflict("Du kan inte godkänna din egen begäran",
                "En rolländring som ger nya roller ska godkännas av en annan administratör (fyraögonsprincipen).");
        // Checked again: the rules may have changed since the request (it was valid when made).
        if (decision == RoleGrantState.Approved && AdminScope.ValidateRoles(grant.RoleList) is { Count: > 0 } errors) return Problems.Validation(errors);

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Set<RoleGrant>().Where(g => g.Id == id && g.State == RoleGrantState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.State, decision).SetProperty(g => g.DecidedByUserId, me).SetProperty(g => g.DecidedAt, now), ct);
        if (claimed == 0) return AlreadyDecided(null);
        if (decision == RoleGrantState.Approved) await AdminScope.ApplyRolesAsync(users, tokens, user, grant.RoleList, ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: user.Id,
            purpose: decision == RoleGrantState.Approved ? "RoleGrantApproved" : "RoleGrantRejected"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        grant.State = decision;
        grant.DecidedByUserId = me;
        grant.DecidedAt = now;
        return TypedResults.Ok(grant.ToView(user));
    }

    private static ProblemHttpResult AlreadyDecided(RoleGrantState? state) =>
        Problems.Conflict("Begäran är redan avgjord", "Rolländringen väntar inte längre på beslut.",
            new Dictionary<string, object?> { ["currentState"] = state?.ToString() });
}
