namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (bench/load.sh --read-variants, issue 22): how the case read loads its aggregate, switchable at run
/// time so that the variants are measured in alternation in one run on the same API process (a loaded machine makes
/// only ratios within one run meaningful). The visibility statement, the access log and the projection are the same in
/// every forced variant (the app's own choice, "app", adds its children's counts to that statement); only the aggregate's query differs (<see cref="Cases.CaseAccess"/>).
/// </summary>
public static class ReadVariants
{
    public enum Variant { Split, Single }

    /// <summary>The forced variant, or null: the app's own choice (<see cref="Cases.CaseAccess.LoadForReadAsync"/>), as in production.</summary>
    public static Variant? Current { get; private set; }

    /// <summary>The app's read with the whole aggregate in one statement (before the members were read apart).</summary>
    public static bool Whole { get; private set; }

    /// <summary>PUT /bench/read-variant/{split|single|whole|app}.</summary>
    public static void Map(WebApplication app) =>
        app.MapPut("/bench/read-variant/{variant}", (string variant) =>
            variant == "app" ? Results.Ok((Current, Whole) = (null, false))
            : variant == "whole" ? Results.Ok((Current, Whole) = (null, true))
            : Enum.TryParse<Variant>(variant, ignoreCase: true, out var v) ? Results.Ok(Current = v) : Results.BadRequest()).AllowAnonymous();
}
