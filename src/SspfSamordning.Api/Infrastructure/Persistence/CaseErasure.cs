using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Erasure (gallring) of one case or concern report: crypto-shredding first — its data keys are deleted, so every copy
/// of its ciphertext left anywhere (replicas, exports, backups of the data tables) becomes unreadable — then its rows,
/// in one transaction with an Erasure access event that names the erased id only. The key goes first so that an
/// interruption between the steps leaves unreadable rows, never readable ones; a second run finishes the job. The
/// notifications and reminder deliveries that name it (its case number, its id) go with it.
/// </summary>
public static class CaseErasure
{
    /// <returns>The number of data keys shredded.</returns>
    public static Task<int> EraseAsync(SspfDbContext db, Guid caseId, CancellationToken ct) =>
        EraseAsync(db, caseId, AuditFilter.Case, db.Cases.Where(c => c.Id == caseId), Aggregates.CaseId, ct);

    /// <returns>The number of data keys shredded.</returns>
    public static Task<int> EraseConcernReportAsync(SspfDbContext db, Guid reportId, CancellationToken ct) =>
        EraseAsync(db, reportId, AuditFilter.ConcernReport, db.ConcernReports.Where(r => r.Id == reportId), Aggregates.ConcernReportId, ct);

    private static async Task<int> EraseAsync<T>(SspfDbContext db, Guid id, string entityType, IQueryable<T> rows, string deadlineOwner, CancellationToken ct)
    {
        var shredded = await KeyRings.Of(db).ShredAsync(id, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deadlines = db.Set<Deadline>().Where(d => EF.Property<Guid?>(d, deadlineOwner) == id).Select(d => d.Id);
        await db.Set<ReminderDelivery>().Where(r => deadlines.Contains(r.DeadlineId)).ExecuteDeleteAsync(ct);
        await db.Set<Notification>().Where(n => n.CaseId == id || n.ConcernReportId == id || deadlines.Contains(n.DeadlineId)).ExecuteDeleteAsync(ct);
        await rows.ExecuteDeleteAsync(ct);
        // No case id: the event outlives the case, and every Granskare sees erasures (AuditScope).
        db.AccessEvents.Add(db.Audit.NewEvent(AuditAction.Erasure, entityType: entityType, entityId: id, purpose: "Retention"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return shredded;
    }
}
