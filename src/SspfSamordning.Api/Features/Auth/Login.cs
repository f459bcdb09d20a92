using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// POST /api/auth/login. The checks are <see cref="PasswordSignIn"/>'s (one answer for every failure); this endpoint
/// only turns a successful sign-in into a token pair.
/// </summary>
public static class Login
{
    public sealed record Request(string? Email, string? Password, string? TwoFactorCode, string? RecoveryCode);

    /// <param name="PasswordChangeRequired">The password was chosen by an administrator: the session may only change it (POST /api/auth/password).</param>
    /// <param name="TwoFactorSetupRequired">The session may only enrol a second factor before it can reach case data.</param>
    public sealed record Response(string AccessToken, int ExpiresIn, string RefreshToken, bool TwoFactorSetupRequired, bool PasswordChangeRequired);

    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/login", Handle).AllowAnonymous().RequireRateLimiting(RateLimits.Auth);

    private static async Task<Results<Ok<Response>, JsonHttpResult<ProblemDetails>, ProblemHttpResult>> Handle(
        Request request, PasswordSignIn signIn, TokenService tokens, IOptions<AuthOptions> options, HttpContext http, CancellationToken ct)
    {
        var result = await signIn.SignInAsync(request.Email, request.Password, request.TwoFactorCode, request.RecoveryCode, ct);
        switch (result.Outcome)
        {
            case SignInOutcome.Throttled: return RateLimits.TooManyAttempts(http, signIn.ThrottleWindow);
            case SignInOutcome.SecondFactorRequired: return Problems.Unauthorized(requiresTwoFactor: true);
            case SignInOutcome.Failed: return Problems.Unauthorized();
        }
        var user = result.User!;
        var pair = await tokens.StartSessionAsync(user, result.MultiFactor, ct);
        return TypedResults.Ok(new Response(pair.AccessToken, pair.ExpiresIn, pair.RefreshToken,
            TwoFactorSetupRequired: !result.MultiFactor && !options.Value.RelaxTwoFactor, PasswordChangeRequired: user.MustChangePassword));
    }
}
