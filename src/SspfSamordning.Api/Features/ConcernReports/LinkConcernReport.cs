using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>
/// POST /api/cases/{id}/concern-reports {concernReportId}: socialtjänst links a report of the case's municipality to
/// a case it can see. The link is an id on the report; the content stays socialtjänst-internal.
/// </summary>
public static class LinkConcernReport
{
    public sealed record Request(Guid? ConcernReportId);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/concern-reports", Handle).RequireAuthorization(Policies.SocialServices);

    private static async Task<Results<Ok<ConcernReportSummary>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var @case = await db.VisibleCases(viewer, time.GetUtcNow()).Where(c => c.Id == id)
            .Select(c => new { c.Id, c.MunicipalityId }).SingleOrDefaultAsync(ct);
        if (@case is null) return Problems.NotFound();
        var report = request.ConcernReportId is not { } reportId ? null : await db.ConcernReports.HandledBy(viewer)
            .WithOpenDeadlines().SingleOrDefaultAsync(r => r.Id == reportId && r.MunicipalityId == @case.MunicipalityId, ct);
        if (report is null) return Problems.Validation("concernReportId", "Ange en orosanmälan i ärendets kommun.");

        report.LinkToCase(@case.Id, viewer.Party);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ConcernReportSummary.From(report));
    }
}
