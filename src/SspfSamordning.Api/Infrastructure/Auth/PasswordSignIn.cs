using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>How a password sign-in attempt ended.</summary>
public enum SignInOutcome
{
    /// <summary>Unknown user, wrong password, locked or disabled account, wrong or replayed code: one answer for all.</summary>
    Failed,
    /// <summary>The password was right and the account has a second factor: ask for a code (nothing was counted).</summary>
    SecondFactorRequired,
    /// <summary>Too many attempts for this account name in the window.</summary>
    Throttled,
    Succeeded,
}

/// <param name="User">Set when <see cref="Outcome"/> is <see cref="SignInOutcome.Succeeded"/>.</param>
/// <param name="MultiFactor">Whether a second factor (code or recovery code) was given.</param>
public sealed record SignInResult(SignInOutcome Outcome, AppUser? User = null, bool MultiFactor = false);

/// <summary>
/// The checks of a password (+ second factor) sign-in, shared by every channel that signs people in (the JSON API, the
/// web pages, the OpenID Connect authorization endpoint). Every failure — unknown user, wrong password, locked or
/// disabled account, wrong or replayed code — ends the same way after the same work (one password hash, then
/// <see cref="FailedSignIns"/>: one transaction with the same statements), so nothing can be enumerated, not even by
/// timing. The caller starts the session (tokens or cookie) only on <see cref="SignInOutcome.Succeeded"/>.
/// </summary>
public sealed class PasswordSignIn(
    UserManager<AppUser> users, SecondFactor secondFactor, FailedSignIns failures, AccountAttempts accountAttempts,
    DummyPasswordHash dummyHash, IAuditContext audit, AuditLog log)
{
    public TimeSpan ThrottleWindow => accountAttempts.Window;

    public async Task<SignInResult> SignInAsync(string? email, string? password, string? twoFactorCode, string? recoveryCode, CancellationToken ct)
    {
        if (!accountAttempts.TryAcquire(email)) return new(SignInOutcome.Throttled);
        // The account is read, checked and its failure recorded by one attempt at a time (lockout holds under parallel guesses).
        using var turn = await accountAttempts.OneAtATimeAsync(email, ct);
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email);
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            // Spend the same time as a real password check, then record the failure the same way (counting nothing).
            dummyHash.Verify(users.PasswordHasher, password);
            // An unknown user is logged without anything that identifies whoever tried (no e-mail).
            await failures.RecordAsync(null, user?.Id, ct);
            return new(SignInOutcome.Failed);
        }
        if (password is null || !await users.CheckPasswordAsync(user, password))
        {
            await failures.RecordAsync(user, user.Id, ct);
            return new(SignInOutcome.Failed);
        }

        var multiFactor = false;
        if (user.TwoFactorEnabled)
        {
            if (string.IsNullOrWhiteSpace(twoFactorCode) && string.IsNullOrWhiteSpace(recoveryCode))
                return new(SignInOutcome.SecondFactorRequired);
            if (!await secondFactor.AcceptCodeOrRecoveryCodeAsync(user, twoFactorCode, recoveryCode, ct))
            {
                await failures.RecordAsync(user, user.Id, ct);
                return new(SignInOutcome.Failed);
            }
            multiFactor = true;
        }

        await users.ResetAccessFailedCountAsync(user);
        await log.AppendAsync(audit.NewEvent(AuditAction.LoginSucceeded, actorUserId: user.Id), ct);
        return new(SignInOutcome.Succeeded, user, multiFactor);
    }
}
