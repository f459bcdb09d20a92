using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>Ready when the database answers and carries every migration this build knows.</summary>
public sealed class DatabaseHealthCheck(SspfDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!await db.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy("Database unreachable.");
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
        return pending == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied; run with --migrate.");
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
