using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>GET /api/concern-reports?state=&amp;page=&amp;pageSize=: socialtjänst's reports in its municipalities, newest first.</summary>
public static class ListConcernReports
{
    public static void Map(RouteGroupBuilder reports) =>
        reports.MapGet("/", Handle).RequireAuthorization(Policies.SocialServices);

    internal static async Task<Ok<PagedList<ConcernReportSummary>>> Handle(
        ClaimsPrincipal principal, SspfDbContext db, IAuditContext audit, CancellationToken ct,
        ConcernReportState? state = null, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var query = db.ConcernReports.HandledBy(Viewer.From(principal));
        if (state is { } s) query = query.Where(r => r.State == s);
        var total = await query.CountAsync(ct);
        // Whole rows, not a projection: the youth's name is encrypted and only decrypted when the entity is materialized.
        // The page's open deadlines come in the same query (the queue shows each report's statutory dates).
        var rows = await query.AsNoTracking().OrderByDescending(r => r.ReceivedAt).ThenBy(r => r.Id).Skip(paging.Skip).Take(paging.PageSize)
            .WithOpenDeadlines().ToListAsync(ct);
        var items = rows.Select(ConcernReportSummary.From).ToList();
        foreach (var r in items) audit.ReadRecord(AuditAction.List, AuditFilter.ConcernReport, r.Id, r.CaseId);
        return TypedResults.Ok(new PagedList<ConcernReportSummary>(items, paging.Page, paging.PageSize, total));
    }
}
