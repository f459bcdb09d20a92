using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Operator commands (run the app with the flag; it does the work and exits):
/// <c>--rotate-data-keys</c> gives every key owner whose current key is older than the run a new data key version for
/// new writes, then re-encrypts; <c>--reencrypt</c> moves every value still under an older key (or stored in plaintext
/// by an earlier version) to its owner's current key. After a complete re-encryption pass both delete the retired keys
/// no value uses any more: those retired at least <see cref="RetiredKeyGrace"/> before the pass began (a request that
/// still held such a key when it was retired has long ended, and the pass moved whatever it wrote). Both are
/// idempotent and resumable: stop them any time, run again.
/// </summary>
public static class EncryptionCommands
{
    public static readonly IReadOnlyList<string> Flags = ["--rotate-data-keys", "--reencrypt"];

    public static readonly TimeSpan RetiredKeyGrace = TimeSpan.FromHours(1);

    public static async Task RunAsync(IServiceProvider services, IReadOnlyList<string> args, ILogger logger, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var start = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        if (args.Contains("--rotate-data-keys"))
        {
            var rotated = await RotateAllAsync(db, start, ct);
            logger.LogInformation("Rotated the data keys of {Owners} key owners.", rotated);
        }
        var result = await scope.ServiceProvider.GetRequiredService<FieldReEncryption>().RunAsync(db, cancellationToken: ct);
        logger.LogInformation("Re-encryption scanned {Rows} rows and rewrote {Values} values.", result.RowsScanned, result.ValuesRewritten);
        var deleted = await DeleteRetiredKeysAsync(db, start, ct);
        logger.LogInformation("Deleted {Keys} retired data keys no value uses.", deleted);
    }

    /// <summary>
    /// A new current key version for every owner whose current key was created before <paramref name="olderThan"/> (the
    /// run's start), so a run started again does not rotate what it already rotated; returns how many owners.
    /// </summary>
    public static async Task<int> RotateAllAsync(SspfDbContext db, DateTimeOffset olderThan, CancellationToken ct)
    {
        // Filtered here rather than in SQL: SQLite cannot compare DateTimeOffset values (one row per key; few per owner).
        var keys = await db.Set<DataKey>().AsNoTracking().Select(k => new { k.OwnerId, k.Version, k.CreatedAt }).ToListAsync(ct);
        var owners = keys.GroupBy(k => k.OwnerId).Where(g => g.MaxBy(k => k.Version)!.CreatedAt < olderThan).Select(g => g.Key).ToList();
        var ring = KeyRings.Of(db);
        foreach (var owner in owners) await ring.RotateAsync(owner, ct);
        return owners.Count;
    }

    /// <summary>
    /// Deletes the keys retired before <paramref name="passStarted"/> minus <see cref="RetiredKeyGrace"/>. Call only after a
    /// re-encryption pass that began at <paramref name="passStarted"/> completed: it moved every value off them.
    /// </summary>
    public static async Task<int> DeleteRetiredKeysAsync(SspfDbContext db, DateTimeOffset passStarted, CancellationToken ct)
    {
        var before = passStarted - RetiredKeyGrace;
        var retired = (await db.Set<DataKey>().AsNoTracking().Where(k => k.RetiredAt != null).Select(k => new { k.Id, k.RetiredAt }).ToListAsync(ct))
            .Where(k => k.RetiredAt < before).Select(k => k.Id).ToList();
        var deleted = 0;
        foreach (var batch in retired.Chunk(500))
            deleted += await db.Set<DataKey>().Where(k => batch.Contains(k.Id)).ExecuteDeleteAsync(ct);
        return deleted;
    }
}
