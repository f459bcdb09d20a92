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
/// The chain's hash at one sequence number, with the time it was taken. Exported (GET /api/audit/checkpoints) to a
/// separate system, it makes the log's head verifiable: truncating the newest events, or rewriting the whole chain from
/// some point, no longer goes unseen. On PostgreSQL the application role may only INSERT and SELECT checkpoints.
/// </summary>
public sealed class AuditCheckpoint
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public long Sequence { get; init; }
    public string Hash { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public CheckpointKind Kind { get; init; }

    /// <summary>
    /// Takes a checkpoint of the head under the append lock; none when nothing was appended since the last one.
    /// Returns the checkpoint taken (or the latest, unchanged).
    /// </summary>
    public static async Task<AuditCheckpoint?> TakeAsync(SspfDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (sequence, hash) = await AuditChain.LockAndReadHeadAsync(db, ct);
        var latest = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        if (sequence == 0 || latest?.Sequence >= sequence) return latest;
        var checkpoint = new AuditCheckpoint { Sequence = sequence, Hash = hash, At = AccessEvent.Instant(now), Kind = CheckpointKind.Head };
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return checkpoint;
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> b)
    {
        b.ToTable("AuditCheckpoints");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.HasIndex(c => c.Sequence);
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
