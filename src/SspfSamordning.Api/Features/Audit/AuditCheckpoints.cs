using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>
/// GET /api/audit/checkpoints?page=&amp;pageSize= (newest first): the chains' head hashes over time, one row per stripe
/// (<see cref="AuditChain.Stripes"/> chains), to be copied to a separate system; POST /api/audit/checkpoints takes one
/// of every stripe's head now and answers them, in stripe order (AuditCheckpointJob does so every hour). A checkpoint is
/// verified against its own stripe: GET /api/audit/verify?checkpointStripe=&amp;checkpointSequence=&amp;checkpointHash=.
/// </summary>
public static class AuditCheckpoints
{
    /// <summary>One stripe's chain at one event: <paramref name="Sequence"/> and <paramref name="Hash"/> are that stripe's.</summary>
    public sealed record CheckpointView(int Stripe, long Sequence, string Hash, DateTimeOffset At, string Kind)
    {
        public static CheckpointView Of(AuditCheckpoint c) => new(c.Stripe, c.Sequence, c.Hash, c.At, c.Kind.ToString());
    }

    public static void Map(RouteGroupBuilder audit)
    {
        audit.MapGet("/checkpoints", List).RequireAuthorization(Policies.Auditor)
            .WithSummary("Export the access log's checkpoints, newest first")
            .WithDescription(
                "The log is 16 hash chains (stripes). Each row is one stripe's chain at one event: {stripe, sequence, hash, at, kind}; " +
                "a head checkpoint stores one row per stripe whose head moved, all with the same `at`; kind Anchor marks where " +
                "gallring cut that stripe. Copy every row to a separate system; verify one with GET /api/audit/verify?" +
                "checkpointStripe=&checkpointSequence=&checkpointHash=&checkpointAt=.");
        audit.MapPost("/checkpoints", Take).RequireAuthorization(Policies.Auditor)
            .WithSummary("Checkpoint the head of every stripe of the access log now")
            .WithDescription(
                "Takes every stripe's append lock (ascending) and answers one checkpoint per stripe that has events, in stripe " +
                "order: the one taken now, or the stripe's latest when its head has not moved. 409 when the log is empty.");
    }

    private static async Task<Ok<PagedList<CheckpointView>>> List(SspfDbContext db, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var total = await db.AuditCheckpoints.CountAsync(ct);
        var items = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.At).ThenBy(c => c.Stripe).ThenByDescending(c => c.Sequence)
            .Skip(paging.Skip).Take(paging.PageSize).Select(c => new CheckpointView(c.Stripe, c.Sequence, c.Hash, c.At, c.Kind.ToString())).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<CheckpointView>(items, paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<List<CheckpointView>>, ProblemHttpResult>> Take(SspfDbContext db, TimeProvider time, CancellationToken ct) =>
        await AuditCheckpoint.TakeAsync(db, time.GetUtcNow(), ct) is { Count: > 0 } taken
            ? TypedResults.Ok(taken.Select(CheckpointView.Of).ToList())
            : Problems.Conflict("Loggen är tom", "Det finns ingen händelse att ta en kontrollpunkt av.");
}
