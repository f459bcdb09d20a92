using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>
/// GET /api/audit/checkpoints?page=&amp;pageSize= (newest first): the chain's head hashes over time, to be copied to a
/// separate system; POST /api/audit/checkpoints takes one now (AuditCheckpointJob takes one every hour).
/// </summary>
public static class AuditCheckpoints
{
    public sealed record CheckpointView(long Sequence, string Hash, DateTimeOffset At, string Kind);

    public static void Map(RouteGroupBuilder audit)
    {
        audit.MapGet("/checkpoints", List).RequireAuthorization(Policies.Auditor);
        audit.MapPost("/checkpoints", Take).RequireAuthorization(Policies.Auditor);
    }

    private static async Task<Ok<PagedList<CheckpointView>>> List(SspfDbContext db, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var total = await db.AuditCheckpoints.CountAsync(ct);
        var items = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).ThenByDescending(c => c.At)
            .Skip(paging.Skip).Take(paging.PageSize).Select(c => new CheckpointView(c.Sequence, c.Hash, c.At, c.Kind.ToString())).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<CheckpointView>(items, paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<CheckpointView>, ProblemHttpResult>> Take(SspfDbContext db, TimeProvider time, CancellationToken ct) =>
        await AuditCheckpoint.TakeAsync(db, time.GetUtcNow(), ct) is { } c
            ? TypedResults.Ok(new CheckpointView(c.Sequence, c.Hash, c.At, c.Kind.ToString()))
            : Problems.Conflict("Loggen är tom", "Det finns ingen händelse att ta en kontrollpunkt av.");
}
