using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// Finding cases by personnummer without a readable personnummer in the database: the blind index narrows
/// the search to one bucket (shared by design with other people), then the decrypted values are compared.
/// </summary>
internal static class PersonnummerLookup
{
    public static void SetPersonnummerIndex(this SspfDbContext db, Case @case, BlindIndex index) =>
        db.SetPersonnummerIndex(@case, index.Compute(@case.Youth.Personnummer));

    /// <param name="bucket">The blind index of the case's personnummer, computed beforehand.</param>
    public static void SetPersonnummerIndex(this SspfDbContext db, Case @case, string bucket) =>
        db.Entry(@case).Property(Aggregates.PersonnummerIndex).CurrentValue = bucket;

    /// <summary>The cases of <paramref name="cases"/> whose youth has this (normalised) personnummer.</summary>
    public static Task<List<Case>> WithPersonnummerAsync(this IQueryable<Case> cases, SspfDbContext db, string personnummer, BlindIndex index, CancellationToken ct) =>
        cases.InBucketWithPersonnummerAsync(db, index.Compute(personnummer), personnummer, ct);

    /// <summary>As <see cref="WithPersonnummerAsync"/>, with the blind index (<paramref name="bucket"/>) computed beforehand.</summary>
    public static async Task<List<Case>> InBucketWithPersonnummerAsync(this IQueryable<Case> cases, SspfDbContext db, string bucket, string personnummer, CancellationToken ct)
    {
        var bucketCases = cases.Where(c => EF.Property<string>(c, Aggregates.PersonnummerIndex) == bucket);
        // The bucket's cases with their keys in one statement (a bucket holds about one case in 4,096 of the municipality),
        // not a key query per case. An empty bucket — nearly every opening and reopening (issue 22) — ends here: one
        // statement, where the keys and the cases were read by two.
        var keys = await bucketCases.AsNoTracking()
            .Select(c => new { c.Id, Keys = db.Set<DataKey>().Where(k => k.OwnerId == c.Id).ToList() })
            .ToListAsync(ct);
        if (keys.Count == 0) return [];
        KeyRings.Of(db).Preload([.. keys.SelectMany(k => k.Keys)]);
        var candidates = await bucketCases.AsNoTracking().ToListAsync(ct);
        return candidates.Where(c => c.Youth.Personnummer == personnummer).ToList();
    }

    /// <summary>The youth's cases in the municipality that are not Closed or Declined.</summary>
    public static IQueryable<Case> OpenIn(this IQueryable<Case> cases, Guid municipalityId) =>
        cases.Where(c => c.MunicipalityId == municipalityId && c.State != CaseState.Closed && c.State != CaseState.Declined);
}
