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
            .Include(r => r.Deadlines.Where(d => d.State == DeadlineState.Open))
            .SingleOrDefaultAsync(ct);

    /// <summary>
    /// Saves, with every instant in UTC first. The domain computes "end of the Swedish day" deadlines with the local
    /// offset (+01:00/+02:00), which Npgsql refuses to write to <c>timestamptz</c>. Interim: this belongs in the
    /// persistence layer (a UTC-normalising DateTimeOffset converter in SspfDbContext's conventions), not here.
    /// </summary>
    public static Task<int> SaveReportChangesAsync(this SspfDbContext db, CancellationToken ct)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified))
            foreach (var property in entry.Properties)
                if (property.CurrentValue is DateTimeOffset { Offset.Ticks: not 0 } instant)
                    property.CurrentValue = instant.ToUniversalTime();
        return db.SaveChangesAsync(ct);
    }
}
