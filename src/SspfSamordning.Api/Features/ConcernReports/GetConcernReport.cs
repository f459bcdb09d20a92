using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>GET /api/concern-reports/{id}: the whole report with its open deadlines, for socialtjänst of its municipality only.</summary>
public static class GetConcernReport
{
    public static void Map(RouteGroupBuilder reports) =>
        reports.MapGet("/{id:guid}", Handle).RequireAuthorization(Policies.SocialServices);

    internal static async Task<Results<Ok<ConcernReportDetail>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct)
    {
        var report = await db.ConcernReports.HandledBy(Viewer.From(principal)).AsNoTracking().Where(r => r.Id == id)
            .WithOpenDeadlines().SingleOrDefaultAsync(ct);
        return report is null ? Problems.NotFound() : TypedResults.Ok(ConcernReportDetail.From(report));
    }
}
