using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>POST /api/auth/refresh: spends a refresh token for a new pair. A spent token presented again ends its session.</summary>
public static class Refresh
{
    public sealed record Request(string? RefreshToken);
    public sealed record Response(string AccessToken, int ExpiresIn, string RefreshToken);

    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/refresh", Handle).AllowAnonymous().RequireRateLimiting(RateLimits.Refresh);

    private static async Task<Results<Ok<Response>, JsonHttpResult<ProblemDetails>>> Handle(
        Request request, TokenService tokens, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken)) return Problems.Unauthorized();
        var pair = await tokens.RefreshAsync(request.RefreshToken, ct);
        return pair is null
            ? Problems.Unauthorized()
            : TypedResults.Ok(new Response(pair.AccessToken, pair.ExpiresIn, pair.RefreshToken));
    }
}
