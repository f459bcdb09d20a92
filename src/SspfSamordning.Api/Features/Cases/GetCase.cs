using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>GET /api/cases/{id}: the case as the caller may see it; 404 when the caller may not see it at all.</summary>
public static class GetCase
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}", Handle).RequireAuthorization(Policies.CaseReader);

    internal static async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IAuditContext audit, CancellationToken ct) =>
        await ReadAsync(id, principal, db, time, audit, ct) is { } read ? TypedResults.Ok(read.Detail) : Problems.NotFound();

    /// <summary>A case read, with the aggregate it was projected from (what the case page shows beside it, see <see cref="CaseHistory.OfReadAsync"/>).</summary>
    internal sealed record Read(Domain.Cases.Case Aggregate, Viewer Viewer, DateTimeOffset Now, CaseDetail Detail);

    /// <summary><see cref="Handle"/>'s read — visibility, the Read event with its categories, the projection — or null (404).</summary>
    internal static async Task<Read?> ReadAsync(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IAuditContext audit, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForReadAsync(id, viewer, now, ct);
        if (@case is null) return null;
        audit.Read(AuditAction.Read, @case.Id, CaseAccess.CategoriesFor(@case, viewer, now).Cast<object>());
        return new(@case, viewer, now, CaseDetail.From(@case, viewer, now));
    }
}
