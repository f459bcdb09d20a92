using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>Checks TOTP codes so that each is accepted once: a user's last accepted time step is claimed atomically.</summary>
public sealed class SecondFactor(UserManager<AppUser> users, SspfDbContext db, TimeProvider time, FailedSignIns failures)
{
    public async Task<bool> AcceptCodeAsync(AppUser user, string code, CancellationToken ct)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key)) return false;
        var step = Totp.MatchingStep(key, code, time.GetUtcNow());
        if (step is not { } accepted || accepted <= user.LastTotpTimeStep) return false;
        // Race-free against every other update of the user: no entity update ever writes this column (its mapping
        // ignores it after insert), so a concurrent save of a stale copy cannot put an older step back.
        var claimed = await db.Users.Where(u => u.Id == user.Id && u.LastTotpTimeStep < accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpTimeStep, accepted), ct);
        // Keep the tracked entity in step: UserManager writes every column on its next update.
        user.LastTotpTimeStep = accepted;
        return claimed == 1;
    }

    /// <summary>
    /// The second factor of a sign-in (password or federated): the authenticator code when one is given (accepted once),
    /// else a recovery code (spent). False when neither is given or the given one is wrong, replayed or spent.
    /// </summary>
    public async Task<bool> AcceptCodeOrRecoveryCodeAsync(AppUser user, string? code, string? recoveryCode, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(code)
            ? await AcceptCodeAsync(user, code, ct)
            : !string.IsNullOrWhiteSpace(recoveryCode) && (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode)).Succeeded;

    /// <summary>
    /// Checks the current password for account changes; a wrong one counts toward lockout and is logged as a failed
    /// sign-in (and the lockout it causes).
    /// </summary>
    public async Task<bool> ReauthenticateAsync(AppUser user, string? password)
    {
        var locked = await users.IsLockedOutAsync(user);
        if (!locked && password is not null && await users.CheckPasswordAsync(user, password)) return true;
        await failures.RecordAsync(locked ? null : user, user.Id, CancellationToken.None);
        return false;
    }
}
