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
    /// The youth's open cases (<see cref="Case.OpenRule"/>) in the municipality — the one-open-case rule's question, asked on
    /// every opening and reopening — by the same two steps as <see cref="WithPersonnummerAsync"/>, as compiled statements.
    /// </summary>
    /// <param name="bucket">The blind index of <paramref name="personnummer"/>, computed beforehand.</param>
    public static Task<List<Case>> OpenWithPersonnummerAsync(SspfDbContext db, Guid municipalityId, string bucket, string personnummer, CancellationToken ct)
    {
        var compiled = CompiledQueries.Of(db);
        return MatchAsync(db, compiled.OpenKeys(db, municipalityId, bucket), () => compiled.Open(db, municipalityId, bucket), personnummer, ct);
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

    private static readonly Expression<Func<SspfDbContext, Case, CaseKeys>> WithKeys =
        CaseAccess.WithKeys((db, c, keys) => new CaseKeys(c.Id, keys));

    /// <summary>A municipality's open cases (<see cref="Case.OpenRule"/>) in one bucket.</summary>
    private static readonly Expression<Func<SspfDbContext, Guid, string, IQueryable<Case>>> OpenInBucket =
        (db, municipalityId, bucket) => db.Cases.AsNoTracking().Where(Case.OpenRule)
            .Where(c => c.MunicipalityId == municipalityId && EF.Property<string>(c, Aggregates.PersonnummerIndex) == bucket);

    /// <summary>
    /// The one-open-case rule's two statements compiled once: as LINQ, EF walked and hashed the query's expression tree on
    /// every opening and reopening (issue 22: EF's query pipeline was 4.6 % of a transition). Kept per model, as
    /// <see cref="CaseAccess"/>'s are: a compiled query belongs to one model.
    /// </summary>
    private sealed class CompiledQueries
    {
        private static readonly ConditionalWeakTable<IModel, CompiledQueries> byModel = new();

        public static CompiledQueries Of(SspfDbContext db) => byModel.GetValue(db.Model, _ => new CompiledQueries());

        public Func<SspfDbContext, Guid, string, IAsyncEnumerable<CaseKeys>> OpenKeys { get; } = EF.CompileAsyncQuery(
            Expression.Lambda<Func<SspfDbContext, Guid, string, IQueryable<CaseKeys>>>(
                Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(Case), typeof(CaseKeys)], OpenInBucket.Body,
                    Expression.Quote(Expression.Lambda<Func<Case, CaseKeys>>(
                        RuleExpression.Replace(WithKeys.Body, (WithKeys.Parameters[0], OpenInBucket.Parameters[0])), WithKeys.Parameters[1]))),
                OpenInBucket.Parameters));

        public Func<SspfDbContext, Guid, string, IAsyncEnumerable<Case>> Open { get; } = EF.CompileAsyncQuery(OpenInBucket);
    }
}
