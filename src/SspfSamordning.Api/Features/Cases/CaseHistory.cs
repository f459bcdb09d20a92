using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>GET /api/cases/{id}/history: every transition of the case and its workflows, oldest first, paged.</summary>
public static class CaseHistory
{
    public sealed record EventView(Guid Id, string Workflow, Guid SubjectId, string From, string To, string Trigger, string? Reason, Guid ActorUserId, DateTimeOffset At);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/history", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Results<Ok<PagedList<EventView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var viewer = Viewer.From(principal);
        var events = db.VisibleCases(viewer, time.GetUtcNow()).Where(c => c.Id == id).SelectMany(c => c.History);
        if (!await db.VisibleCases(viewer, time.GetUtcNow()).AnyAsync(c => c.Id == id, ct)) return Problems.NotFound();
        var total = await events.CountAsync(ct);
        // Whole rows, not a projection: the encrypted reason is decrypted when the entity is materialized.
        var rows = await events.OrderBy(e => e.At).ThenBy(e => EF.Property<long>(e, Aggregates.Sequence)).Skip(paging.Skip).Take(paging.PageSize)
            .AsNoTracking().ToListAsync(ct);
        var items = rows.Select(e => new EventView(e.Id, e.Workflow, e.SubjectId, e.From, e.To, e.Trigger, e.Reason, e.ActorUserId, e.At)).ToList();
        return TypedResults.Ok(new PagedList<EventView>(items, paging.Page, paging.PageSize, total));
    }
}
