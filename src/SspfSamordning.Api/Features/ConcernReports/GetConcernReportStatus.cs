using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>
/// GET /api/concern-reports/{id}/status: the reporter's återkoppling channel (access rule 7) — whether an
/// investigation was opened, never the content. The user who filed the report and socialtjänst of its
/// municipality may ask; for anyone else the report does not exist (404).
/// </summary>
public static class GetConcernReportStatus
{
    public static void Map(RouteGroupBuilder reports) =>
        reports.MapGet("/{id:guid}/status", Handle).RequireAuthorization(Policies.Reporter);

    private static async Task<Results<Ok<ConcernReportStatusView>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var userId = viewer.UserId;
        // The status is the domain's reading of the state (StatusForReporter): load the root, never its children.
        var handled = db.ConcernReports.HandledBy(viewer).Select(r => r.Id);
        var report = await db.ConcernReports.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == id && (r.ReporterUserId == userId || handled.Contains(r.Id)), ct);
        return report is null
            ? Problems.NotFound()
            : TypedResults.Ok(new ConcernReportStatusView(report.Id, report.StatusForReporter, report.ReceivedAt));
    }
}
