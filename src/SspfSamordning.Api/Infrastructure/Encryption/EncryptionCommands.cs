using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Encryption;

/// <summary>
/// Operator commands (run the app with the flag; it does the work and exits):
/// <c>--rotate-data-keys</c> gives every key owner a new data key version for new writes, then re-encrypts;
/// <c>--reencrypt</c> moves every value still under an older key (or stored in plaintext by an earlier
/// version) to its owner's current key. Both are idempotent and resumable: stop them any time, run again.
/// </summary>
public static class EncryptionCommands
{
    public static readonly IReadOnlyList<string> Flags = ["--rotate-data-keys", "--reencrypt"];

    public static async Task RunAsync(IServiceProvider services, IReadOnlyList<string> args, ILogger logger, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        if (args.Contains("--rotate-data-keys"))
        {
            var rotated = await RotateAllAsync(db, ct);
            logger.LogInformation("Rotated the data keys of {Owners} key owners.", rotated);
        }
        var result = await scope.ServiceProvider.GetRequiredService<FieldReEncryption>().RunAsync(db, cancellationToken: ct);
        logger.LogInformation("Re-encryption scanned {Rows} rows and rewrote {Values} values.", result.RowsScanned, result.ValuesRewritten);
    }

    /// <summary>A new current key version for every owner that has a key; returns how many owners.</summary>
    public static async Task<int> RotateAllAsync(SspfDbContext db, CancellationToken ct)
    {
        var owners = await db.Set<DataKey>().Select(k => k.OwnerId).Distinct().ToListAsync(ct);
        var ring = KeyRings.Of(db);
        foreach (var owner in owners) await ring.RotateAsync(owner, ct);
        return owners.Count;
    }
}
