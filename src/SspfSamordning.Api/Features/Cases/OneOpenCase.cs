using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// The rule "one open case per youth and municipality", checked in this one place for both opening and reopening, under
/// one lock per municipality: whoever checks holds the lock until its transaction ends, so of a concurrent opening and
/// reopening (or two of either) for one youth exactly one commits and the other sees it. On PostgreSQL the lock is a
/// transaction-scoped advisory lock keyed by the municipality; on SQLite the write transaction is exclusive already
/// (EF begins it with BEGIN IMMEDIATE).
/// </summary>
internal static class OneOpenCase
{
    /// <summary>First key of the two-key advisory lock (arbitrary, constant: "SSPO"); the second is the municipality's.</summary>
    private const int LockClass = 0x5353_504F;

    /// <summary>
    /// Takes the municipality's lock, then returns the id of an open case (not Closed or Declined) of the youth with this
    /// personnummer in the municipality other than <paramref name="exceptCaseId"/>, or null. Call inside a transaction and
    /// save the opened or reopened case in that same transaction.
    /// </summary>
    /// <param name="bucket">The personnummer's blind index, computed before (it is deliberately slow; never under the lock).</param>
    public static async Task<Guid?> LockAndFindOtherAsync(SspfDbContext db, Guid municipalityId, string bucket, string personnummer,
        Guid? exceptCaseId, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("The one-open-case rule is checked inside the transaction that saves the case.");
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock({LockClass}, {LockKey(municipalityId)})", ct);
        var open = await db.Cases.OpenIn(municipalityId).InBucketWithPersonnummerAsync(db, bucket, personnummer, ct);
        return open.FirstOrDefault(c => c.Id != exceptCaseId)?.Id;
    }

    /// <summary>The municipality's lock key; two municipalities sharing one only wait for each other.</summary>
    private static int LockKey(Guid municipalityId) => BitConverter.ToInt32(municipalityId.ToByteArray(), 0);
}
