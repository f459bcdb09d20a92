using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// The rule "one open case per youth and municipality", checked in this one place for both opening and reopening, under
/// one lock per youth and municipality: whoever checks holds the lock until its transaction ends, so of a concurrent
/// opening and reopening (or two of either) for one youth exactly one commits and the other sees it, while openings and
/// reopenings of other youths go on (an earlier lock per municipality serialized every reopening of the municipality).
/// The lock is keyed by the personnummer's blind-index bucket, which every form of the same personnummer shares; two
/// youths whose keys collide only wait for each other. On PostgreSQL it is a transaction-scoped advisory lock, on SQL
/// Server a transaction-owned application lock (<see cref="SqlDialect.OneOpenCaseLock"/>); on SQLite the write
/// transaction is exclusive already (EF begins it with BEGIN IMMEDIATE).
/// </summary>
internal static class OneOpenCase
{
    /// <summary>
    /// Takes the youth's lock, then returns the id of an open case (<see cref="Case.OpenRule"/>) of the youth with this
    /// personnummer in the municipality other than <paramref name="exceptCaseId"/>, or null. Call inside a transaction and
    /// save the opened or reopened case in that same transaction.
    /// </summary>
    /// <param name="bucket">The personnummer's blind index, computed before (it is deliberately slow; never under the lock).</param>
    public static async Task<Guid?> LockAndFindOtherAsync(SspfDbContext db, Guid municipalityId, string bucket, string personnummer,
        Guid? exceptCaseId, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("The one-open-case rule is checked inside the transaction that saves the case.");
        if (SqlDialect.Of(db.Database).OneOpenCaseLock is { } takeLock)
            await db.Database.ExecuteSqlRawAsync(takeLock, [LockKey(municipalityId, bucket)], ct);
        return await PersonnummerLookup.OtherOpenCaseAsync(db, municipalityId, bucket, personnummer, exceptCaseId, ct);
    }

    /// <summary>
    /// The lock key of a youth in a municipality: the first 8 bytes of SHA-256 over "SSPO", the municipality and the
    /// bucket — the same in every process and instance (unlike <c>string.GetHashCode</c>), apart from the access log's key.
    /// </summary>
    internal static long LockKey(Guid municipalityId, string bucket) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"SSPO|{municipalityId:N}|{bucket}")), 0);
}
