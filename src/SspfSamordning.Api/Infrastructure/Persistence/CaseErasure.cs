using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Erasure (gallring) of one case: crypto-shredding first — the case's data keys are deleted, so every copy of
/// its ciphertext left anywhere (replicas, exports, backups of the data tables) becomes unreadable — then its
/// rows. The key goes first so that an interruption between the steps leaves unreadable rows, never readable
/// ones; a second run finishes the job.
/// </summary>
public static class CaseErasure
{
    /// <returns>The number of data keys shredded.</returns>
    public static async Task<int> EraseAsync(SspfDbContext db, Guid caseId, CancellationToken ct)
    {
        var shredded = await KeyRings.Of(db).ShredAsync(caseId, ct);
        await db.Cases.Where(c => c.Id == caseId).ExecuteDeleteAsync(ct);
        return shredded;
    }
}
