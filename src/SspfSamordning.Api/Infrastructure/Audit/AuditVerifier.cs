using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// The verifier's answer. <see cref="FirstBrokenEventId"/> names the first event that does not chain; when the log is
/// broken without such an event (it ends before a checkpoint: the newest events were removed) it is null and
/// <see cref="Problem"/> says what is missing.
/// </summary>
public sealed record AuditVerification(bool Valid, long CheckedEvents, Guid? FirstBrokenEventId, string? Problem = null);

/// <summary>
/// A checkpoint given to the verifier from outside (one exported earlier): the chain must reach it with this hash.
/// <see cref="At"/>, the time the export says it was taken, lets the verifier tell whether gallring may have erased it.
/// </summary>
public sealed record ExternalCheckpoint(long Sequence, string Hash, DateTimeOffset? At = null);

/// <summary>
/// Recomputes the chain in <see cref="AccessEvent.Sequence"/> order, in batches. An event is broken when its hash is
/// not the hash of its content, or its previous hash is not the hash of the event before it: a changed row breaks
/// itself, a deleted or moved row breaks the one after it. The chain starts at the genesis hash, or — after gallring
/// erased its oldest events — at the anchor checkpoint just before the first remaining event. Every stored checkpoint
/// (and one given from outside) must lie on the chain: an event at its sequence with its hash. One beyond the last
/// event means the newest events were removed. One in the erased part must be older than the retention age
/// (<paramref name="erasableBefore"/>: only events written before it may have been erased), and one at the anchor
/// must have the anchor's hash: an anchor planted near the head, with the events below it deleted, does not verify.
/// </summary>
public static class AuditVerifier
{
    /// <summary>
    /// How much younger than the retention age a checkpoint in the erased part may be: a head checkpoint is taken at
    /// most moments before the next event is stamped, so one just below a legitimate anchor is that much younger.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    private sealed record Stored(long Sequence, string Hash, DateTimeOffset At, CheckpointKind Kind);

    /// <param name="erasableBefore">Now minus the access log's retention age; null skips the age check (benchmarks).</param>
    public static async Task<AuditVerification> VerifyAsync(SspfDbContext db, CancellationToken ct, int batchSize = 1000,
        ExternalCheckpoint? external = null, DateTimeOffset? erasableBefore = null)
    {
        var stored = await db.AuditCheckpoints.AsNoTracking().Select(c => new Stored(c.Sequence, c.Hash, c.At, c.Kind)).ToListAsync(ct);
        var checkpoints = stored.Select(c => new ExternalCheckpoint(c.Sequence, c.Hash, c.Kind == CheckpointKind.Head ? c.At : null)).ToList();
        if (external is not null) checkpoints.Add(external);
        var expected = checkpoints.ToLookup(c => c.Sequence, c => c.Hash);

        var first = await db.AccessEvents.AsNoTracking().OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct);
        // Without events the chain ends at the last anchor (gallring erased everything), if any.
        var lastSequence = first is { } f ? f - 1
            : stored.Where(c => c.Kind == CheckpointKind.Anchor).Max(c => (long?)c.Sequence) ?? 0;
        // The chain's start: genesis, or the anchor that gallring left before the first remaining event.
        var previous = lastSequence == 0 ? AuditChain.Genesis
            : stored.FirstOrDefault(c => c.Sequence == lastSequence && c.Kind == CheckpointKind.Anchor)?.Hash;
        if (lastSequence > 0 && ErasedTooEarly(checkpoints, lastSequence, previous, erasableBefore) is { } problem)
            return new AuditVerification(false, 0, null, problem);

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

    /// <summary>
    /// Checkpoints at or below the anchor <paramref name="anchor"/> (the erased part): one at the anchor must carry its
    /// hash; one below it, taken after <paramref name="erasableBefore"/> (beyond the slack), shows that events were
    /// erased before their retention age — whoever wrote the anchor.
    /// </summary>
    private static string? ErasedTooEarly(List<ExternalCheckpoint> checkpoints, long anchor, string? anchorHash, DateTimeOffset? erasableBefore)
    {
        foreach (var c in checkpoints.Where(c => c.Sequence <= anchor).OrderByDescending(c => c.Sequence))
        {
            if (c.Sequence == anchor && anchorHash is not null && c.Hash != anchorHash)
                return $"The checkpoint at event {c.Sequence} does not match the anchor where the log was erased.";
            if (c.Sequence < anchor && c.At is { } at && erasableBefore is { } limit && at > limit + Slack)
                return $"The checkpoint at event {c.Sequence}, taken {at:O}, lies in the erased part of the log, "
                    + $"but only events written before {limit:O} may have been erased: events were erased before their retention age.";
        }
        return null;
    }
}
