namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (bench/load.sh --read-variants, issue 22): how the case read loads its aggregate, switchable at run
/// time so that the variants are measured in alternation in one run on the same API process (a loaded machine makes
/// only ratios within one run meaningful). The visibility statement, the access log and the projection are the same in
/// every forced variant (the app's own choice, "app", adds the members to that statement); only the aggregate's query differs (<see cref="Cases.CaseAccess"/>).
/// "free" is a floor rather than a variant: the app's read with its aggregate loaded for nothing (below, <see cref="Free"/>).
/// </summary>
public static class ReadVariants
{
    public enum Variant { Split, Single }

    /// <summary>The forced variant, or null: the app's own choice (<see cref="Cases.CaseAccess.LoadForReadAsync"/>), as in production.</summary>
    public static Variant? Current { get; private set; }

    /// <summary>The app's read with the whole aggregate in one statement (before the members were read apart).</summary>
    public static bool Whole { get; private set; }

    /// <summary>
    /// The app's read with its aggregate loaded for nothing (issue 22, round seventeen): the session lookup, the visibility
    /// statement, the Read event, the projection and the answer as in production, but instead of the aggregate's statement the
    /// read takes the aggregate the same user's first read loaded (<see cref="KeptAsync"/>).
    /// What such a read costs is the floor of every way of loading the aggregate.
    /// </summary>
    public static bool Free { get; private set; }

    /// <summary>
    /// The app's read with the case row alone as its aggregate: the aggregate's statement replaced by the one that reads the
    /// row (and the youth) by id, its collections left empty. Beside <see cref="Free"/>, what one more statement costs.
    /// </summary>
    public static bool RowOnly { get; private set; }

    /// <summary>
    /// The app's read with its aggregate but the members in EF's single query, the members from the visibility statement: the
    /// read of a small case from round ten to seventeen, before <see cref="Cases.AggregateRows"/>.
    /// </summary>
    public static bool Ef { get; private set; }

    /// <summary>Under <see cref="Free"/>: per user, the aggregate of their first read.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Domain.Cases.Case> kept = new();

    /// <summary>Under <see cref="Free"/>: the aggregate kept for the user — or null: another variant, or the user's first read, which loads it.</summary>
    internal static Domain.Cases.Case? Kept(Guid userId) => Free && kept.TryGetValue(userId, out var aggregate) ? aggregate : null;

    /// <summary>Keeps the aggregate of the user's first read under <see cref="Free"/> (untracked: nothing writes to it).</summary>
    internal static void Keep(Guid userId, Domain.Cases.Case? aggregate)
    {
        if (Free && aggregate is not null) kept.TryAdd(userId, aggregate);
    }

    /// <summary>PUT /bench/read-variant/{split|single|whole|free|rowonly|ef|app}.</summary>
    public static void Map(WebApplication app) =>
        app.MapPut("/bench/read-variant/{variant}", (string variant) =>
        {
            (Current, Whole, Free, RowOnly, Ef) = (null, variant == "whole", variant == "free", variant == "rowonly", variant == "ef");
            return variant is "app" or "whole" or "free" or "rowonly" or "ef" ? Results.Ok(variant)
                : Enum.TryParse<Variant>(variant, ignoreCase: true, out var v) ? Results.Ok(Current = v) : Results.BadRequest();
        }).AllowAnonymous();
}
