using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// The verifier's answer. <see cref="FirstBrokenEventId"/> names the first event that does not chain; when the log is
/// broken without such an event (it ends before a checkpoint: the newest events were removed) it is null and
/// <see cref="Problem"/> says what is missing.
/// </summary>
public sealed record AuditVerification(bool Valid, long CheckedEvents, Guid? FirstBrokenEventId, string? Problem = null);

/// <summary>A checkpoint given to the verifier from outside (one exported earlier): the chain must reach it with this hash.</summary>
public sealed record ExternalCheckpoint(long Sequence, string Hash);

/// <summary>
/// Recomputes the chain in <see cref="AccessEvent.Sequence"/> order, in batches. An event is broken when its hash is
/// not the hash of its content, or its previous hash is not the hash of the event before it: a changed row breaks
/// itself, a deleted or moved row breaks the one after it. The chain starts at the genesis hash, or — after gallring
/// erased its oldest events — at the anchor checkpoint just before the first remaining event. Every stored checkpoint
/// (and one given from outside) must lie on the chain: an event at its sequence with its hash. One beyond the last
/// event means the newest events were removed.
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(SspfDbContext db, CancellationToken ct, int batchSize = 1000, ExternalCheckpoint? external = null)
    {
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().Select(c => new ExternalCheckpoint(c.Sequence, c.Hash)).ToListAsync(ct);
        if (external is not null) checkpoints.Add(external);
        var expected = checkpoints.ToLookup(c => c.Sequence, c => c.Hash);

        var first = await db.AccessEvents.AsNoTracking().OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct);
        // Without events the chain ends at the last anchor (gallring erased everything), if any.
        var lastSequence = first is { } f ? f - 1
            : await db.AuditCheckpoints.Where(c => c.Kind == CheckpointKind.Anchor).MaxAsync(c => (long?)c.Sequence, ct) ?? 0;
        // The chain's start: genesis, or the anchor that gallring left before the first remaining event.
        var previous = lastSequence == 0 ? AuditChain.Genesis
            : await db.AuditCheckpoints.AsNoTracking().Where(c => c.Sequence == lastSequence && c.Kind == CheckpointKind.Anchor)
                .Select(c => c.Hash).FirstOrDefaultAsync(ct);
        long checkedEvents = 0;
        while (true)
        {
            var batch = await db.AccessEvents.AsNoTracking().Where(e => e.Sequence > lastSequence)
                .OrderBy(e => e.Sequence).Take(batchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var e in batch)
            {
                checkedEvents++;
                if (e.Sequence != lastSequence + 1 || e.PreviousHash != previous || AuditChain.ComputeHash(e) != e.Hash
                    || expected[e.Sequence].Any(hash => hash != e.Hash))
                    return new AuditVerification(false, checkedEvents, e.Id);
                previous = e.Hash;
                lastSequence = e.Sequence;
            }
        }
        var beyond = checkpoints.Where(c => c.Sequence > lastSequence).Select(c => (long?)c.Sequence).Max();
        return beyond is { } missing
            ? new AuditVerification(false, checkedEvents, null, $"The log ends at event {lastSequence}, before the checkpoint at event {missing}: newer events were removed.")
            : new AuditVerification(true, checkedEvents, null);
    }
}
