using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// The verifier's answer. <see cref="FirstBrokenEventId"/> names the first event that does not chain (stripes walked in
/// ascending order); when the log is broken without such an event (a stripe ends before a checkpoint: its newest events
/// were removed) it is null and <see cref="Problem"/> says what is missing.
/// </summary>
public sealed record AuditVerification(bool Valid, long CheckedEvents, Guid? FirstBrokenEventId, string? Problem = null);

/// <summary>
/// A checkpoint given to the verifier from outside (one exported earlier): the chain of its stripe must reach it with
/// this hash. <see cref="At"/>, the time the export says it was taken, lets the verifier tell whether gallring may have
/// erased it.
/// </summary>
public sealed record ExternalCheckpoint(long Sequence, string Hash, DateTimeOffset? At = null, short Stripe = 0);

/// <summary>
/// Recomputes each stripe's chain (<see cref="AuditChain.Stripes"/> of them) in <see cref="AccessEvent.Sequence"/> order,
/// in batches. An event is broken when its hash is not the hash of its content (its stripe included), or its previous
/// hash is not the hash of the event before it in its stripe: a changed row breaks itself, a deleted or moved row breaks
/// the one after it, a row moved to another stripe breaks itself. Each chain starts at the genesis hash, or — after
/// gallring erased its oldest events — at its stripe's anchor checkpoint just before its first remaining event. Every
/// stored checkpoint (and one given from outside) must lie on its stripe's chain: an event at its sequence with its hash.
/// One beyond the stripe's last event means its newest events were removed. One in the erased part must be older than
/// the retention age (<paramref name="erasableBefore"/>: only events written before it may have been erased), and one at
/// the anchor must have the anchor's hash: an anchor planted near the head, with the events below it deleted, does not
/// verify. An event or checkpoint of a stripe that does not exist is broken.
/// </summary>
public static class AuditVerifier
{
    /// <summary>
    /// How much younger than the retention age a checkpoint in the erased part may be: a head checkpoint is taken at
    /// most moments before the next event is stamped, so one just below a legitimate anchor is that much younger.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(5);

    private sealed record Stored(short Stripe, long Sequence, string Hash, DateTimeOffset At, CheckpointKind Kind);

    /// <param name="erasableBefore">Now minus the access log's retention age; null skips the age check (benchmarks).</param>
    public static async Task<AuditVerification> VerifyAsync(SspfDbContext db, CancellationToken ct, int batchSize = 1000,
        ExternalCheckpoint? external = null, DateTimeOffset? erasableBefore = null)
    {
        var stored = await db.AuditCheckpoints.AsNoTracking().Select(c => new Stored(c.Stripe, c.Sequence, c.Hash, c.At, c.Kind)).ToListAsync(ct);
        var checkpoints = stored.Select(c => new ExternalCheckpoint(c.Sequence, c.Hash, c.Kind == CheckpointKind.Head ? c.At : null, c.Stripe)).ToList();
        if (external is not null) checkpoints.Add(external);
        if (checkpoints.FirstOrDefault(c => c.Stripe is < 0 or >= AuditChain.Stripes) is { } outside)
            return new AuditVerification(false, 0, null, $"The checkpoint at event {outside.Sequence} names stripe {outside.Stripe}, which the log does not have.");
        var stray = await db.AccessEvents.AsNoTracking().Where(e => e.Stripe < 0 || e.Stripe >= AuditChain.Stripes)
            .OrderBy(e => e.Stripe).ThenBy(e => e.Sequence).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
        if (stray is not null) return new AuditVerification(false, 0, stray);

        long checkedEvents = 0;
        foreach (var stripe in AuditChain.AllStripes)
        {
            var result = await VerifyStripeAsync(db, stripe, stored.Where(c => c.Stripe == stripe).ToList(),
                checkpoints.Where(c => c.Stripe == stripe).ToList(), batchSize, erasableBefore, ct);
            checkedEvents += result.CheckedEvents;
            if (!result.Valid) return result with { CheckedEvents = checkedEvents };
        }
        return new AuditVerification(true, checkedEvents, null);
    }

    private static async Task<AuditVerification> VerifyStripeAsync(SspfDbContext db, short stripe, List<Stored> stored,
        List<ExternalCheckpoint> checkpoints, int batchSize, DateTimeOffset? erasableBefore, CancellationToken ct)
    {
        var expected = checkpoints.ToLookup(c => c.Sequence, c => c.Hash);
        var events = db.AccessEvents.AsNoTracking().Where(e => e.Stripe == stripe);
        var first = await events.OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(ct);
        // Without events the stripe's chain ends at its last anchor (gallring erased everything), if any.
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
            var last = lastSequence;
            var batch = await events.Where(e => e.Sequence > last).OrderBy(e => e.Sequence).Take(batchSize).ToListAsync(ct);
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
            ? new AuditVerification(false, checkedEvents, null,
                $"Stripe {stripe} of the log ends at event {lastSequence}, before the checkpoint at event {missing}: newer events were removed.")
            : new AuditVerification(true, checkedEvents, null);
    }

    /// <summary>
    /// Checkpoints of one stripe at or below its anchor <paramref name="anchor"/> (the erased part): one at the anchor must
    /// carry its hash; one below it, taken after <paramref name="erasableBefore"/> (beyond the slack), shows that events
    /// were erased before their retention age — whoever wrote the anchor.
    /// </summary>
    private static string? ErasedTooEarly(List<ExternalCheckpoint> checkpoints, long anchor, string? anchorHash, DateTimeOffset? erasableBefore)
    {
        foreach (var c in checkpoints.Where(c => c.Sequence <= anchor).OrderByDescending(c => c.Sequence))
        {
            if (c.Sequence == anchor && anchorHash is not null && c.Hash != anchorHash)
                return $"The checkpoint at event {c.Sequence} of stripe {c.Stripe} does not match the anchor where the log was erased.";
            if (c.Sequence < anchor && c.At is { } at && erasableBefore is { } limit && at > limit + Slack)
                return $"The checkpoint at event {c.Sequence} of stripe {c.Stripe}, taken {at:O}, lies in the erased part of the log, "
                    + $"but only events written before {limit:O} may have been erased: events were erased before their retention age.";
        }
        return null;
    }
}
