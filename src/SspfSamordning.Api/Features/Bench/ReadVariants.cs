namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (bench/load.sh --read-variants, issue 22): how the case read loads its aggregate, switchable at run
/// time so that the variants are measured in alternation in one run on the same API process (a loaded machine makes
/// only ratios within one run meaningful). The visibility statement, the access log and the projection are the same in
/// every variant; only the aggregate's query differs (<see cref="Cases.CaseAccess"/>).
/// </summary>
public static class ReadVariants
{
    public enum Variant { Split, Single, Compiled }

    public static Variant Current { get; private set; } = Variant.Split;

    public static void Map(WebApplication app) =>
        app.MapPut("/bench/read-variant/{variant}", (string variant) =>
            Enum.TryParse<Variant>(variant, ignoreCase: true, out var v) ? Results.Ok(Current = v) : Results.BadRequest()).AllowAnonymous();
}
