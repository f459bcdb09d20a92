using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// POST /api/auth/login. Every failure — unknown user, wrong password, locked or disabled account, wrong or
/// replayed code — gets the same 401 after the same work (one password hash, then <see cref="FailedSignIns"/>: one
/// transaction with the same statements), so nothing can be enumerated, not even by timing.
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
        Request request, UserManager<AppUser> users, SecondFactor secondFactor, FailedSignIns failures, TokenService tokens,
        AccountAttempts accountAttempts, DummyPasswordHash dummyHash, IOptions<AuthOptions> options, IAuditContext audit, AuditLog log, HttpContext http, CancellationToken ct)
    {
        if (!accountAttempts.TryAcquire(request.Email)) return RateLimits.TooManyAttempts(http, accountAttempts.Window);
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email);
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            // Spend the same time as a real password check, then record the failure the same way (counting nothing).
            dummyHash.Verify(users.PasswordHasher, request.Password);
            // An unknown user is logged without anything that identifies whoever tried (no e-mail).
            await failures.RecordAsync(null, user?.Id, ct);
            return Problems.Unauthorized();
        }
        if (request.Password is null || !await users.CheckPasswordAsync(user, request.Password))
        {
            await failures.RecordAsync(user, user.Id, ct);
            return Problems.Unauthorized();
        }

        var multiFactor = false;
        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(request.TwoFactorCode) && string.IsNullOrWhiteSpace(request.RecoveryCode))
                return Problems.Unauthorized(requiresTwoFactor: true);
            var accepted = !string.IsNullOrWhiteSpace(request.TwoFactorCode)
                ? await secondFactor.AcceptCodeAsync(user, request.TwoFactorCode, ct)
                : (await users.RedeemTwoFactorRecoveryCodeAsync(user, request.RecoveryCode!)).Succeeded;
            if (!accepted)
            {
                await failures.RecordAsync(user, user.Id, ct);
                return Problems.Unauthorized();
            }
            multiFactor = true;
        }

        await users.ResetAccessFailedCountAsync(user);
        var pair = await tokens.StartSessionAsync(user, multiFactor, ct);
        await log.AppendAsync(audit.NewEvent(AuditAction.LoginSucceeded, actorUserId: user.Id), ct);
        return TypedResults.Ok(new Response(pair.AccessToken, pair.ExpiresIn, pair.RefreshToken,
            TwoFactorSetupRequired: !multiFactor && !options.Value.RelaxTwoFactor, PasswordChangeRequired: user.MustChangePassword));
    }
}
