using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Shadow properties that keep persistence concerns out of the domain: the owning case or concern report
/// of a child row, and the optimistic-concurrency version of each aggregate root.
/// </summary>
internal static class Aggregates
{
    public const string CaseId = "CaseId";
    public const string ConcernReportId = "ConcernReportId";
    public const string Version = "Version";

    /// <summary>
    /// Any change inside an aggregate bumps its root's version, so two concurrent edits of one case (even of
    /// different children) cannot both commit: the second finds a stale version and answers 409.
    /// </summary>
    public static void BumpVersions(ChangeTracker tracker)
    {
        if (!tracker.HasChanges()) return;
        foreach (var entry in tracker.Entries().Where(e => e.Entity is Case or ConcernReport))
        {
            var version = entry.Property(Version);
            if (entry.State == EntityState.Added) version.CurrentValue = 1L;
            else if (entry.State is EntityState.Unchanged or EntityState.Modified) version.CurrentValue = (long)version.OriginalValue! + 1;
        }
    }
}
