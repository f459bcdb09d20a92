using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>
/// GET /api/audit/reports/volume-outliers?from=&amp;to=&amp;page=&amp;pageSize= (loggkontroll). The rule, deliberately
/// simple: in the period (default the last 30 days), count each user's reads of case data and of concern reports (read, list, search events);
/// a user's peers are the other users with the same roles who read anything. A user is an outlier when their count is
/// at least <see cref="MinimumReads"/> and more than <see cref="Factor"/> times the median of their peers' counts. A user
/// without peers is never flagged. Counting is one grouped SQL query (a row per user); the medians are taken over those rows.
/// </summary>
public static class VolumeOutliers
{
    public const int MinimumReads = 20;
    public const int Factor = 3;
    /// <summary>No period reaches before this (the default period's start, 30 days before its end, must still be a date); the
    /// loggkontroll pages' date fields take the same bound.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record Outlier(Guid UserId, string Roles, int Reads, double PeerMedian, int Peers);

    public static void Map(RouteGroupBuilder audit) =>
        audit.MapGet("/reports/volume-outliers", Handle).RequireAuthorization(Policies.Auditor);

    internal static async Task<Ok<PagedList<Outlier>>> Handle(
        SspfDbContext db, ClaimsPrincipal principal, TimeProvider time, CancellationToken ct,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        if (to < Earliest || from < Earliest)
            throw new DomainValidationException(to < Earliest ? "to" : "from", $"Perioden kan inte ligga före {Earliest:yyyy-MM-dd}.");
        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        var counts = await db.AccessEvents.AsNoTracking().ForAuditor(db, principal).CaseAndReportReads()
            .Where(e => e.ActorUserId != null && e.At >= start && e.At < end)
            .GroupBy(e => new { e.ActorUserId, e.Roles })
            .Select(g => new { UserId = g.Key.ActorUserId!.Value, g.Key.Roles, Reads = g.Count() })
            .ToListAsync(ct);
        var outliers = new List<Outlier>();
        foreach (var user in counts)
        {
            var peers = counts.Where(p => p.Roles == user.Roles && p.UserId != user.UserId).Select(p => p.Reads).Order().ToList();
            if (peers.Count == 0) continue;
            var median = peers.Count % 2 == 1 ? peers[peers.Count / 2] : (peers[peers.Count / 2 - 1] + peers[peers.Count / 2]) / 2.0;
            if (user.Reads >= MinimumReads && user.Reads > Factor * median)
                outliers.Add(new Outlier(user.UserId, user.Roles, user.Reads, median, peers.Count));
        }
        var ordered = outliers.OrderByDescending(o => o.Reads).ThenBy(o => o.UserId).ToList();
        return TypedResults.Ok(new PagedList<Outlier>(ordered.Skip(paging.Skip).Take(paging.PageSize).ToList(), paging.Page, paging.PageSize, ordered.Count));
    }
}
