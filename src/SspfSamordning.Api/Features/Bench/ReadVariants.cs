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
    /// What such a read costs is the floor of every way of loading the aggregate, a hand-written materializer included.
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

    /// <summary>
    /// <see cref="Free"/> plus the case's rows read by hand (<see cref="HandRead"/>): the floor plus what reading and
    /// decrypting the rows in one round trip costs, without building the objects.
    /// </summary>
    public static bool HandRead { get; private set; }

    /// <summary><see cref="Free"/> plus the aggregate's joined statement executed and read by hand (<see cref="HandRead.ReadJoinedAsync"/>).</summary>
    public static bool HandJoin { get; private set; }

    /// <summary>Under <see cref="Free"/>, <see cref="HandRead"/> and <see cref="HandJoin"/>: per user, the aggregate of their first read.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Domain.Cases.Case> kept = new();

    private static bool Keeps => Free || HandRead || HandJoin;

    /// <summary>Under <see cref="Free"/>, <see cref="HandRead"/> or <see cref="HandJoin"/>: the aggregate kept for the user (the
    /// rows read by hand first for the latter two) — or null: no such variant, or the user's first read, which loads it.</summary>
    internal static async Task<Domain.Cases.Case?> KeptAsync(Infrastructure.Persistence.SspfDbContext db, Guid caseId, Guid userId, CancellationToken ct)
    {
        if (!Keeps || !kept.TryGetValue(userId, out var aggregate)) return null;
        if (HandRead) await Bench.HandRead.ReadAsync(db, caseId, ct);
        else if (HandJoin) await Bench.HandRead.ReadJoinedAsync(db, caseId, ct);
        return aggregate;
    }

    /// <summary>Keeps the aggregate of the user's first read under those variants (untracked: nothing writes to it).</summary>
    internal static void Keep(Guid userId, Domain.Cases.Case? aggregate)
    {
        if (Keeps && aggregate is not null) kept.TryAdd(userId, aggregate);
    }

    /// <summary>PUT /bench/read-variant/{split|single|whole|free|handread|handjoin|rowonly|ef|app}.</summary>
    public static void Map(WebApplication app) =>
        app.MapPut("/bench/read-variant/{variant}", (string variant) =>
        {
            (Current, Whole, Free, HandRead, HandJoin, RowOnly, Ef) = (null, variant == "whole", variant == "free",
                variant == "handread", variant == "handjoin", variant == "rowonly", variant == "ef");
            return variant is "app" or "whole" or "free" or "handread" or "handjoin" or "rowonly" or "ef" ? Results.Ok(variant)
                : Enum.TryParse<Variant>(variant, ignoreCase: true, out var v) ? Results.Ok(Current = v) : Results.BadRequest();
        }).AllowAnonymous();
}
