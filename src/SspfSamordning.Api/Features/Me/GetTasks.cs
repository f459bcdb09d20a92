using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.ConcernReports;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Me;

/// <summary>
/// GET /api/me/tasks?page=&amp;pageSize=: the open deadlines the caller is responsible for, due first. A case deadline
/// shows only while the caller may still see the case, a concern-report deadline only while the caller handles the
/// report — both decided in the one SQL query. A task names the case number at most, never personal data.
/// </summary>
public static class GetTasks
{
    public sealed record TaskView(Guid Id, DeadlineKind Kind, DateTimeOffset DueAt, DateTimeOffset? RemindAt, Guid? CaseId, string? CaseNumber, Guid? ConcernReportId);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/me/tasks", Handle).RequireAuthorization(Policies.CaseReader);

    public static async Task<Ok<PagedList<TaskView>>> Handle(
        ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IAuditContext audit, AuditLog log, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var viewer = Viewer.From(principal);
        var userId = viewer.UserId;
        var reports = db.ConcernReports.HandledBy(viewer).Select(r => r.Id);
        var tasks =
            from d in db.Set<Deadline>()
            where d.ResponsibleUserId == userId && d.State == DeadlineState.Open
            join c in db.VisibleCases(viewer, time.GetUtcNow()) on EF.Property<Guid?>(d, Aggregates.CaseId) equals (Guid?)c.Id into visible
            from c in visible.DefaultIfEmpty()
            let reportId = EF.Property<Guid?>(d, Aggregates.ConcernReportId)
            where c != null || (reportId != null && reports.Contains(reportId.Value))
            orderby d.DueAt, d.Id
            select new TaskView(d.Id, d.Kind, d.DueAt, d.RemindAt, c == null ? null : c.Id, c == null ? null : c.CaseNumber, reportId);

        var total = await tasks.CountAsync(ct);
        var items = await tasks.Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        // A task names a case (or a concern report) the caller handles: logged as listed, once per case or report.
        await log.AppendAsync([
            .. items.Where(t => t.CaseId is not null).Select(t => t.CaseId!.Value).Distinct()
                .Select(id => audit.NewEvent(AuditAction.List, caseId: id, entityType: AuditFilter.Case, entityId: id)),
            .. items.Where(t => t.CaseId is null && t.ConcernReportId is not null).Select(t => t.ConcernReportId!.Value).Distinct()
                .Select(id => audit.NewEvent(AuditAction.List, entityType: AuditFilter.ConcernReport, entityId: id)),
        ], ct);
        return TypedResults.Ok(new PagedList<TaskView>(items, paging.Page, paging.PageSize, total));
    }
}
