using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// Before a save, from the change tracker: one Create or Change event per aggregate root the save writes, and one
/// Transition event per new transition — returned, not tracked: the save links and inserts them in its transaction, so
/// they commit or fail with the change (<see cref="SspfDbContext.SaveChangesAsync(bool, CancellationToken)"/>).
/// </summary>
internal static class ChangeAudit
{
    public static List<AccessEvent> Record(ChangeTracker tracker, IAuditContext audit)
    {
        var events = new List<AccessEvent>();
        foreach (var entry in tracker.Entries().Where(e => e.Entity is Case or ConcernReport))
        {
            var action = entry.State == EntityState.Added ? AuditAction.Create
                : entry.Property(Aggregates.Version).IsModified ? AuditAction.Change : (AuditAction?)null;
            if (action is not { } a) continue;
            events.Add(entry.Entity is Case c
                ? audit.NewEvent(a, caseId: c.Id, entityType: nameof(Case), entityId: c.Id)
                // A report linked to a case (filed from it, or linked later) is logged on the case's trail too.
                : audit.NewEvent(a, caseId: ((ConcernReport)entry.Entity).CaseId, entityType: nameof(ConcernReport), entityId: ((ConcernReport)entry.Entity).Id));
        }
        foreach (var entry in tracker.Entries<TransitionEvent>().Where(e => e.State == EntityState.Added))
        {
            var caseId = entry.Metadata.FindProperty(Aggregates.CaseId) is { } p ? (Guid?)entry.Property(p.Name).CurrentValue : null;
            events.Add(audit.NewEvent(AuditAction.Transition, caseId: caseId, entityType: entry.Entity.Workflow, entityId: entry.Entity.SubjectId));
        }
        return events;
    }
}
