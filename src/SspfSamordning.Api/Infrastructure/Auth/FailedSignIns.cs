using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Records a failed sign-in (wrong password, code or recovery code, and a wrong current password on an account
/// change): counts it toward lockout and logs it, in one transaction. An unknown, disabled or locked account takes
/// the very same path — the same conditional update (matching no row), the same event insert, the same commit — so
/// that the time of a failure does not tell whether an account exists (<see cref="Features.Auth.Login"/>).
/// </summary>
/// <remarks>
/// The count is an atomic conditional update, not <c>UserManager.AccessFailedAsync</c>'s read-modify-write, so
/// concurrent failures are all counted. It also renews the concurrency stamp: a stale copy of the user saved
/// afterwards fails instead of writing the old count back. Lockout uses the wall clock as Identity's
/// <c>IsLockedOutAsync</c> does.
/// </remarks>
public sealed class FailedSignIns(
    SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, UnknownAccountEvents unknownEvents)
{
    /// <param name="countable">The account whose failure counts toward its lockout: an existing, enabled, unlocked one.</param>
    /// <param name="actor">Who is named in the event (a disabled or locked account is named; an unknown one is not).</param>
    /// <returns>Whether this failure locked the account.</returns>
    public async Task<bool> RecordAsync(AppUser? countable, Guid? actor, CancellationToken ct)
    {
        var max = users.Options.Lockout.MaxFailedAccessAttempts;
        var lockEnd = DateTimeOffset.UtcNow + users.Options.Lockout.DefaultLockoutTimeSpan;
        // A random id matches no row: the same statement, the same index lookup as for a real account.
        var id = countable?.Id ?? Guid.NewGuid();
        var stamp = Guid.NewGuid().ToString();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Users.Where(u => u.Id == id && u.LockoutEnabled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.LockoutEnd, u => u.AccessFailedCount + 1 >= max ? lockEnd : u.LockoutEnd)
                .SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1 >= max ? 0 : u.AccessFailedCount + 1)
                .SetProperty(u => u.ConcurrencyStamp, stamp), ct);
        var after = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.LockoutEnd, u.AccessFailedCount }).SingleOrDefaultAsync(ct);
        var lockedNow = after?.LockoutEnd is { } end && end > DateTimeOffset.UtcNow;
        if (countable is not null && after is not null)
        {
            // Keep a tracked copy in step, so that nothing this request saves later trips over the new stamp.
            countable.ConcurrencyStamp = stamp;
            countable.AccessFailedCount = after.AccessFailedCount;
            countable.LockoutEnd = after.LockoutEnd;
            if (db.Entry(countable).State != EntityState.Detached)
            {
                foreach (var property in new[] { nameof(AppUser.ConcurrencyStamp), nameof(AppUser.AccessFailedCount), nameof(AppUser.LockoutEnd) })
                {
                    var entry = db.Entry(countable).Property(property);
                    entry.OriginalValue = entry.CurrentValue;
                    entry.IsModified = false;
                }
            }
        }

        // A flood of attempts at unknown accounts is not written event by event (see UnknownAccountEvents).
        if (actor is not null || unknownEvents.TryAdmit())
        {
            db.AccessEvents.Add(audit.NewEvent(AuditAction.LoginFailed, AuditDecision.Refused, actorUserId: actor));
            if (lockedNow && countable is not null)
                db.AccessEvents.Add(audit.NewEvent(AuditAction.LockedOut, AuditDecision.Refused, actorUserId: actor));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return lockedNow && countable is not null;
    }
}

/// <summary>
/// How many failed sign-ins for unknown accounts are written to the access log: the first
/// <c>RateLimiting:UnknownAccountEventsPerMinute</c> of each minute (the whole process). Such an event names no one
/// and anyone on the network can cause it, so beyond that they are counted in the application log instead of
/// filling the access log. Failures of existing accounts are always written. The same budget bounds the OAuth
/// refusals that name no one (<see cref="OpenIdAudit"/>).
/// </summary>
public sealed class UnknownAccountEvents(IConfiguration configuration, TimeProvider time, ILogger<UnknownAccountEvents> logger) : IDisposable
{
    public const string Setting = "RateLimiting:UnknownAccountEventsPerMinute";

    private readonly FixedWindowRateLimiter limiter = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = Math.Max(1, configuration.GetValue(Setting, 30)),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    });
    private readonly Lock gate = new();
    private long suppressed;
    private DateTimeOffset windowStart = DateTimeOffset.MinValue;

    public bool TryAdmit()
    {
        using var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired) return true;
        lock (gate)
        {
            var now = time.GetUtcNow();
            suppressed++;
            if (now - windowStart >= TimeSpan.FromMinutes(1))
            {
                windowStart = now;
                logger.LogWarning(
                    "Failed sign-ins for unknown accounts and anonymous OAuth refusals exceed {Setting} per minute; the rest are not written to the access log ({Suppressed} so far).",
                    Setting, suppressed);
            }
        }
        return false;
    }

    public void Dispose() => limiter.Dispose();
}

/// <summary>
/// A password hash made with this app's hasher settings (<see cref="PasswordHasherOptions"/>), checked for an
/// unknown, disabled or locked account so that the answer costs what checking a real password does.
/// </summary>
public sealed class DummyPasswordHash(IOptions<PasswordHasherOptions> options)
{
    private readonly Lazy<string> hash = new(() =>
        new PasswordHasher<AppUser>(options).HashPassword(new AppUser(), Guid.NewGuid().ToString()));

    public void Verify(IPasswordHasher<AppUser> hasher, string? password) =>
        hasher.VerifyHashedPassword(new AppUser(), hash.Value, password ?? "");
}
