using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Hangfire;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Scheduling;

namespace SspfSamordning.Api.Infrastructure.Audit;

public enum CheckpointKind
{
    /// <summary>The head of the chain at a moment (periodic or on demand): the log must still reach it, unchanged.</summary>
    Head,
    /// <summary>Written by gallring before the events up to it are erased: the first remaining event chains onto it.</summary>
    Anchor,
}

/// <summary>
/// The hash of one stripe's chain at one sequence number, with the time it was taken. Exported (GET /api/audit/checkpoints) to a
/// separate system, it makes the log's head verifiable: truncating the newest events, or rewriting the whole chain from
/// some point, no longer goes unseen. On PostgreSQL the application role may only INSERT and SELECT checkpoints.
/// </summary>
public sealed class AuditCheckpoint
{
    public Guid Id { get; init; } = Guid.NewGuid();
    /// <summary>The chain (stripe) the checkpoint is of: <see cref="Sequence"/> and <see cref="Hash"/> are that stripe's.</summary>
    public short Stripe { get; init; }
    public long Sequence { get; init; }
    public string Hash { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public CheckpointKind Kind { get; init; }

    /// <summary>
    /// Takes a checkpoint of the head of every stripe, under all the stripes' append locks (taken in ascending order, as
    /// every append takes them): one row per stripe whose head moved since its latest checkpoint. Returns the checkpoint
    /// of each stripe that has events — the one taken now, or its latest, unchanged — in stripe order; none when the log
    /// is empty.
    /// </summary>
    public static async Task<IReadOnlyList<AuditCheckpoint>> TakeAsync(SspfDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var heads = await AuditChain.LockAndReadHeadsAsync(db, AuditChain.AllStripes, ct);
        var at = AccessEvent.Instant(now);
        var current = new List<AuditCheckpoint>();
        foreach (var (stripe, (sequence, hash)) in heads.OrderBy(h => h.Key))
        {
            if (sequence == 0) continue;
            var latest = await db.AuditCheckpoints.AsNoTracking().Where(c => c.Stripe == stripe)
                .OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
            if (latest?.Sequence >= sequence)
            {
                current.Add(latest);
                continue;
            }
            var checkpoint = new AuditCheckpoint { Stripe = stripe, Sequence = sequence, Hash = hash, At = at, Kind = CheckpointKind.Head };
            db.AuditCheckpoints.Add(checkpoint);
            current.Add(checkpoint);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return current;
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> b)
    {
        b.ToTable("AuditCheckpoints");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.HasIndex(c => new { c.Stripe, c.Sequence });
        b.Property(c => c.Hash).HasMaxLength(64);
    }
}

/// <summary>Takes a checkpoint every <c>Audit:CheckpointMinutes</c> (default 60; minutes that divide an hour or a day), as a recurring Hangfire job.</summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(timeoutInSeconds: 60)]
public sealed class AuditCheckpointJob(IServiceScopeFactory scopes, TimeProvider time)
{
    public static void Schedule(IRecurringJobManager jobs, IConfiguration c) =>
        jobs.AddOrUpdate<AuditCheckpointJob>("audit-checkpoint", j => j.ExecuteAsync(CancellationToken.None),
            Jobs.Every(TimeSpan.FromMinutes(c.GetValue("Audit:CheckpointMinutes", 60)), "Audit:CheckpointMinutes"));

    [JobDisplayName("Audit checkpoint")]
    public async Task ExecuteAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await AuditCheckpoint.TakeAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), time.GetUtcNow(), ct);
    }
}
