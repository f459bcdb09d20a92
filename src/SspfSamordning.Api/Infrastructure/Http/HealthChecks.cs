using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Ready when the database answers, carries every migration this build knows, and can write: every request of the
/// app writes (the access log), so a store that only reads is not ready. Evaluated afresh on every probe, so readiness
/// returns by itself once the cause is gone.
/// </summary>
/// <remarks>
/// The write probe: a transaction that takes the database's write lock — on PostgreSQL with a transaction id, whose
/// commit record the server must write to its WAL; on SQL Server the database must not be read-only; on SQLite also a small file written, flushed to disk and deleted next
/// to the database (a full disk or a read-only folder fails it), and at least <c>Health:MinFreeDiskBytes</c> (64 MiB)
/// free there.
/// </remarks>
public sealed class DatabaseHealthCheck(SspfDbContext db, DatabaseOutage outage, IConfiguration configuration) : IHealthCheck
{
    public const string ProbeFileName = ".sspf-ready-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy("Database unreachable.");
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
            if (pending > 0) return HealthCheckResult.Unhealthy($"{pending} migration(s) not applied; run with --migrate.");
            if (await CannotWriteAsync(ct) is { } problem) return HealthCheckResult.Unhealthy(problem);
        }
        catch (Exception e) when (DatabaseOutage.IsTransient(e))
        {
            return HealthCheckResult.Unhealthy("Database unavailable: " + e.GetType().Name);
        }
        outage.Recovered();
        return HealthCheckResult.Healthy();
    }

    private async Task<string?> CannotWriteAsync(CancellationToken ct)
    {
        // The database's write lock (SQLite begins IMMEDIATE: fails while another holds the file), and on PostgreSQL
        // the provider's probe (SqlDialect.WriteProbe).
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (SqlDialect.Of(db.Database).WriteProbe is { } probe) await db.Database.ExecuteSqlRawAsync(probe, ct);
            await transaction.CommitAsync(ct);
        }
        if (!db.Database.IsSqlite()) return null;
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:") return null;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var minFree = configuration.GetValue("Health:MinFreeDiskBytes", 64L * 1024 * 1024);
        try
        {
            var free = new DriveInfo(folder).AvailableFreeSpace;
            if (free < minFree) return $"Only {free} bytes free in the data folder {folder} (Health:MinFreeDiskBytes is {minFree}).";
            var probe = Path.Combine(folder, ProbeFileName);
            await using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                await stream.WriteAsync(new byte[4096], ct);
                await stream.FlushAsync(ct);
            }
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"The data folder {folder} cannot be written: {e.GetType().Name}.";
        }
    }
}

/// <summary>Ready when the Data Protection key ring can be read: it wraps every data key and every access token.</summary>
public sealed class KeyRingHealthCheck(IDataProtectionProvider dataProtection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var protector = dataProtection.CreateProtector("Sspf.Health.v1");
            return Task.FromResult(protector.Unprotect(protector.Protect("ready")) == "ready"
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Key ring round trip failed."));
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Key ring cannot be read: " + e.GetType().Name));
        }
    }
}
