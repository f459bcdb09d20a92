using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>
/// Who handles which concern report (domain.md, access rules 6–7): socialtjänst of the report's municipality,
/// nobody else. Composed into every query; a report the filter leaves out does not exist for the caller.
/// The reporter's own view (the status only) is <see cref="GetConcernReportStatus"/>.
/// </summary>
public static class ConcernReportAccess
{
    public static IQueryable<ConcernReport> HandledBy(this IQueryable<ConcernReport> reports, Viewer viewer)
    {
        if (!viewer.IsSocialServices) return reports.Where(_ => false);
        var municipalities = viewer.Municipalities;
        return reports.Where(r => municipalities.Contains(r.MunicipalityId));
    }

    /// <summary>The report with its open deadlines, tracked, for a change — or null when the caller does not handle it.</summary>
    public static Task<ConcernReport?> LoadReportForChangeAsync(this SspfDbContext db, Guid id, Viewer viewer, CancellationToken ct) =>
        db.ConcernReports.HandledBy(viewer).Where(r => r.Id == id)
            .WithOpenDeadlines().SingleOrDefaultAsync(ct);

    /// <summary>
    /// Active socialsekreterare of socialtjänst units: who receives a report and who its overdue deadlines escalate to
    /// (docs/domain-rules.md, decision 8).
    /// </summary>
    public static IQueryable<AppUser> SocialWorkers(this SspfDbContext db) =>
        db.Users.Where(u => !u.IsDisabled && u.Unit!.Party == Party.Socialtjanst
                            && db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name == Roles.Socialsekreterare)));
}
