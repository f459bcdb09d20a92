using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Erasure (gallring) of one case or concern report: crypto-shredding first — its data keys are deleted, so every copy
/// of its ciphertext left anywhere (replicas, exports, backups of the data tables) becomes unreadable — then its rows,
/// in one transaction with an Erasure access event that names the erased id only. The key goes first so that an
/// interruption between the steps leaves unreadable rows, never readable ones; a second run finishes the job.
/// </summary>
public static class CaseErasure
{
    /// <returns>The number of data keys shredded.</returns>
    public static Task<int> EraseAsync(SspfDbContext db, Guid caseId, CancellationToken ct) =>
        EraseAsync(db, caseId, AuditFilter.Case, db.Cases.Where(c => c.Id == caseId), ct);

    /// <returns>The number of data keys shredded.</returns>
    public static Task<int> EraseConcernReportAsync(SspfDbContext db, Guid reportId, CancellationToken ct) =>
        EraseAsync(db, reportId, AuditFilter.ConcernReport, db.ConcernReports.Where(r => r.Id == reportId), ct);

    private static async Task<int> EraseAsync<T>(SspfDbContext db, Guid id, string entityType, IQueryable<T> rows, CancellationToken ct)
    {
        var shredded = await KeyRings.Of(db).ShredAsync(id, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await rows.ExecuteDeleteAsync(ct);
        // No case id: the event outlives the case, and every Granskare sees erasures (AuditScope).
        db.AccessEvents.Add(SspfDbContext.AuditContextOf(db).NewEvent(AuditAction.Erasure, entityType: entityType, entityId: id, purpose: "Retention"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return shredded;
    }
}
