using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

public sealed record AuditVerification(bool Valid, long CheckedEvents, Guid? FirstBrokenEventId);

/// <summary>
/// Recomputes the chain in <see cref="AccessEvent.Sequence"/> order, in batches. An event is broken when its hash is
/// not the hash of its content, or its previous hash is not the hash of the event before it: a changed row breaks
/// itself, a deleted or moved row breaks the one after it. (Deleting the newest rows needs an exported checkpoint of
/// the head to be seen — not built yet.)
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(SspfDbContext db, CancellationToken ct, int batchSize = 1000)
    {
        var previous = AuditChain.Genesis;
        long lastSequence = long.MinValue, checkedEvents = 0;
        while (true)
        {
            var batch = await db.Set<AccessEvent>().AsNoTracking().Where(e => e.Sequence > lastSequence)
                .OrderBy(e => e.Sequence).Take(batchSize).ToListAsync(ct);
            if (batch.Count == 0) return new AuditVerification(true, checkedEvents, null);
            foreach (var e in batch)
            {
                checkedEvents++;
                if (e.PreviousHash != previous || AuditChain.ComputeHash(e) != e.Hash)
                    return new AuditVerification(false, checkedEvents, e.Id);
                previous = e.Hash;
                lastSequence = e.Sequence;
            }
        }
    }
}
