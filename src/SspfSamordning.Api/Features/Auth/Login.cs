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
/// replayed code — gets the same 401 after the same work (one password hash), so nothing can be enumerated.
/// </summary>
public static class Login
{
    public sealed record Request(string? Email, string? Password, string? TwoFactorCode, string? RecoveryCode);

    /// <param name="TwoFactorSetupRequired">The session may only enrol a second factor before it can reach case data.</param>
    public sealed record Response(string AccessToken, int ExpiresIn, string RefreshToken, bool TwoFactorSetupRequired);

    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/login", Handle).AllowAnonymous().RequireRateLimiting(RateLimits.Auth);

    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<AppUser>().HashPassword(new AppUser(), Guid.NewGuid().ToString()));

    private static async Task<Results<Ok<Response>, JsonHttpResult<ProblemDetails>>> Handle(
        Request request, UserManager<AppUser> users, SecondFactor secondFactor, TokenService tokens,
        IOptions<AuthOptions> options, IAuditContext audit, AuditLog log, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email);
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            // Spend the same time as a real password check.
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash.Value, request.Password ?? "");
            // An unknown user is logged without anything that identifies whoever tried (no e-mail).
            await log.AppendAsync(audit.NewEvent(AuditAction.LoginFailed, AuditDecision.Refused, actorUserId: user?.Id), ct);
            return Problems.Unauthorized();
        }
        if (request.Password is null || !await users.CheckPasswordAsync(user, request.Password))
        {
            await FailedAsync(users, user, audit, log, ct);
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
                await FailedAsync(users, user, audit, log, ct);
                return Problems.Unauthorized();
            }
            multiFactor = true;
        }

        await users.ResetAccessFailedCountAsync(user);
        var pair = await tokens.StartSessionAsync(user, multiFactor, ct);
        await log.AppendAsync(audit.NewEvent(AuditAction.LoginSucceeded, actorUserId: user.Id), ct);
        return TypedResults.Ok(new Response(pair.AccessToken, pair.ExpiresIn, pair.RefreshToken,
            TwoFactorSetupRequired: !multiFactor && !options.Value.RelaxTwoFactor));
    }

    private static async Task FailedAsync(UserManager<AppUser> users, AppUser user, IAuditContext audit, AuditLog log, CancellationToken ct)
    {
        await users.AccessFailedAsync(user);
        var events = new List<AccessEvent> { audit.NewEvent(AuditAction.LoginFailed, AuditDecision.Refused, actorUserId: user.Id) };
        if (await users.IsLockedOutAsync(user)) events.Add(audit.NewEvent(AuditAction.LockedOut, AuditDecision.Refused, actorUserId: user.Id));
        await log.AppendAsync(events, ct);
    }
}
