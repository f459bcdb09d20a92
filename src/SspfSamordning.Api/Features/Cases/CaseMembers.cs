using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// POST /api/cases/{id}/members and DELETE /api/cases/{id}/members/{userId}: the coordinator manages the case
/// team. A member's party is their unit's; a member must serve the case's municipality. Effective on the next request.
/// Each addition and removal is kept as a membership period (<see cref="Domain.Cases.MembershipPeriod"/>) for loggkontroll.
/// </summary>
public static class CaseMembers
{
    public sealed record AddRequest(Guid? UserId);

    public static void Map(RouteGroupBuilder cases)
    {
        cases.MapPost("/{id:guid}/members", Add).RequireAuthorization(Policies.Coordinator);
        cases.MapDelete("/{id:guid}/members/{userId:guid}", Remove).RequireAuthorization(Policies.Coordinator);
    }

    public static async Task<Results<Created<MemberView>, ValidationProblem, ProblemHttpResult>> Add(
        Guid id, AddRequest request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        string[] caseRoles = [.. Viewer.CaseRoles];
        var candidate = request.UserId is not { } userId ? null : await db.Users
            .Where(u => u.Id == userId && !u.IsDisabled && u.Unit!.Municipalities.Any(m => m.MunicipalityId == @case.MunicipalityId))
            .Select(u => new { u.Id, u.Unit!.Party, CaseRole = db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && caseRoles.Contains(x.Name!))) })
            .SingleOrDefaultAsync(ct);
        if (candidate is not { CaseRole: true })
            return Problems.Validation("userId", "Ange en aktiv användare med en handläggande roll i ärendets kommun.");

        var member = @case.AddMember(candidate.Id, candidate.Party, viewer.UserId, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/cases/{id}/members/{member.UserId}", new MemberView(member.UserId, member.Party, member.AddedAt));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Remove(
        Guid id, Guid userId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        // Only the removed user's open period: the history is kept, not loaded with every change of the case.
        await db.Entry(@case).Collection(c => c.MembershipHistory).Query().Where(p => p.UserId == userId && p.Until == null).LoadAsync(ct);
        @case.RemoveMember(userId, viewer.UserId, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
