using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
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
    public static Task<List<Case>> WithPersonnummerAsync(this IQueryable<Case> cases, SspfDbContext db, string personnummer, BlindIndex index, CancellationToken ct)
    {
        var bucket = index.Compute(personnummer);
        var bucketCases = cases.Where(c => EF.Property<string>(c, Aggregates.PersonnummerIndex) == bucket).AsNoTracking();
        var keys = bucketCases.Select(WithKeys.On(db));
        return MatchAsync(db, keys.AsAsyncEnumerable(), () => bucketCases.AsAsyncEnumerable(), personnummer, ct);
    }

    /// <summary>
    /// The id of an open case (<see cref="Case.OpenRule"/>) of the youth in the municipality other than
    /// <paramref name="exceptCaseId"/>, or null — the one-open-case rule's question, asked on every opening and reopening.
    /// One compiled statement reads the bucket's open cases' ids, data keys and personnummer as stored; each personnummer is
    /// decrypted (its keys preloaded first, as <see cref="MatchAsync"/> does) and compared. Not the whole cases: only the
    /// compared column is decrypted, and no second statement reads the bucket again (issue 22, round twelve).
    /// </summary>
    /// <param name="bucket">The blind index of <paramref name="personnummer"/>, computed beforehand.</param>
    public static async Task<Guid?> OtherOpenCaseAsync(SspfDbContext db, Guid municipalityId, string bucket, string personnummer,
        Guid? exceptCaseId, CancellationToken ct)
    {
        var compiled = CompiledQueries.Of(db);
        var ring = KeyRings.Of(db);
        await foreach (var c in compiled.OpenStored(db, municipalityId, bucket).WithCancellation(ct))
        {
            if (c.Id == exceptCaseId) continue;
            ring.Preload(c.Keys);
            // The youth's values are in its case's row: the case's id is the row id and the key owner.
            if (compiled.EncryptedCase.Decrypt(ring, c.StoredPersonnummer, compiled.Personnummer, RowIds.Format([c.Id]), c.Id) == personnummer)
                return c.Id;
        }
        return null;
    }

    /// <summary>
    /// The bucket's cases with their data keys in one statement (a bucket holds about one case in 4,096 of the
    /// municipality), not a key query per case; an empty bucket ends there. Otherwise the keys are preloaded — the
    /// decryption as EF materializes a case looks them up, never synchronously in the database — the bucket's cases are
    /// read and their decrypted personnummer compared.
    /// </summary>
    private static async Task<List<Case>> MatchAsync(SspfDbContext db, IAsyncEnumerable<CaseKeys> keys, Func<IAsyncEnumerable<Case>> bucketCases,
        string personnummer, CancellationToken ct)
    {
        List<DataKey> found = [];
        var any = false;
        await foreach (var c in keys.WithCancellation(ct))
        {
            any = true;
            found.AddRange(c.Keys);
        }
        if (!any) return [];
        KeyRings.Of(db).Preload(found);
        List<Case> matches = [];
        await foreach (var c in bucketCases().WithCancellation(ct))
            if (c.Youth.Personnummer == personnummer) matches.Add(c);
        return matches;
    }

    /// <summary>A case's id and its data keys: the first step of a lookup.</summary>
    private sealed record CaseKeys(Guid Id, List<DataKey> Keys);

    /// <summary>A case's id, its data keys and its youth's personnummer as stored (encrypted).</summary>
    private sealed record StoredCase(Guid Id, string StoredPersonnummer, List<DataKey> Keys);

    private static readonly Expression<Func<SspfDbContext, Case, CaseKeys>> WithKeys =
        CaseAccess.WithKeys((db, c, keys) => new CaseKeys(c.Id, keys));

    /// <summary>A municipality's open cases (<see cref="Case.OpenRule"/>) in one bucket.</summary>
    private static readonly Expression<Func<SspfDbContext, Guid, string, IQueryable<Case>>> OpenInBucket =
        (db, municipalityId, bucket) => db.Cases.AsNoTracking().Where(Case.OpenRule)
            .Where(c => c.MunicipalityId == municipalityId && EF.Property<string>(c, Aggregates.PersonnummerIndex) == bucket);

    /// <summary>
    /// The one-open-case rule's statement compiled once: as LINQ, EF walked and hashed the query's expression tree on every
    /// opening and reopening (issue 22: EF's query pipeline was 4.6 % of a transition). Kept per model, as
    /// <see cref="CaseAccess"/>'s are: a compiled query belongs to one model.
    /// </summary>
    private sealed class CompiledQueries
    {
        private static readonly ConditionalWeakTable<IModel, CompiledQueries> byModel = new();

        public static CompiledQueries Of(SspfDbContext db) => byModel.GetValue(db.Model, model => new CompiledQueries(model));

        private CompiledQueries(IModel model)
        {
            EncryptedCase = EncryptedEntityType.Find(model.FindEntityType(typeof(Case))!)!;
            Personnummer = EncryptedCase.Fields.Single(f => f.Path is [{ Name: nameof(Case.Youth) }] && f.Property.Name == nameof(Case.Youth.Personnummer));
        }

        /// <summary>The case's encrypted columns, and among them the youth's personnummer.</summary>
        public EncryptedEntityType EncryptedCase { get; }
        public EncryptedField Personnummer { get; }

        public Func<SspfDbContext, Guid, string, IAsyncEnumerable<StoredCase>> OpenStored { get; } = EF.CompileAsyncQuery(
            Expression.Lambda<Func<SspfDbContext, Guid, string, IQueryable<StoredCase>>>(
                Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(Case), typeof(StoredCase)], OpenInBucket.Body,
                    Expression.Quote(Expression.Lambda<Func<Case, StoredCase>>(
                        RuleExpression.Replace(WithStoredPersonnummer.Body, (WithStoredPersonnummer.Parameters[0], OpenInBucket.Parameters[0])),
                        WithStoredPersonnummer.Parameters[1]))),
                OpenInBucket.Parameters));

        private static readonly Expression<Func<SspfDbContext, Case, StoredCase>> WithStoredPersonnummer =
            CaseAccess.WithKeys((db, c, keys) => new StoredCase(c.Id, c.Youth.Personnummer, keys));
    }
}
