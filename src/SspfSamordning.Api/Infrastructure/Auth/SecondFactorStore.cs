using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Identity's user store, except for the two second-factor secrets it would keep readable in
/// <c>AspNetUserTokens.Value</c>:
/// <list type="bullet">
/// <item>the authenticator (TOTP) key is encrypted with Data Protection (purpose <see cref="KeyPurpose"/>, bound to the
/// user's id, so a value copied to another user does not decrypt; the key ring is encrypted with the master key);</item>
/// <item>recovery codes are stored only as PBKDF2-HMAC-SHA256 hashes salted with the user's id, and redeemed by
/// comparing hashes.</item>
/// </list>
/// A value in the old plaintext form is not used: its user enrols again (an administrator resets the factor).
/// </summary>
public sealed class SecondFactorStore(
    SspfDbContext context, IDataProtectionProvider dataProtection, ILogger<SecondFactorStore> logger, IdentityErrorDescriber? describer = null)
    : UserStore<AppUser, IdentityRole<Guid>, SspfDbContext, Guid>(context, describer)
{
    public const string KeyPurpose = "Sspf.AuthenticatorKey.v1";
    internal const string KeyPrefix = "dp1:";
    internal const string CodesPrefix = "h1:";
    /// <summary>A recovery code has about 50 random bits; the iterations make a copied hash costly to invert.</summary>
    internal const int CodeHashIterations = 10_000;
    private const string LoginProvider = "[AspNetUserStore]";
    private const string KeyName = "AuthenticatorKey";
    private const string CodesName = "RecoveryCodes";

    private IDataProtector Protector(AppUser user) => dataProtection.CreateProtector(KeyPurpose, user.Id.ToString());

    public override Task SetAuthenticatorKeyAsync(AppUser user, string key, CancellationToken cancellationToken) =>
        SetTokenAsync(user, LoginProvider, KeyName, KeyPrefix + Protector(user).Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(AppUser user, CancellationToken cancellationToken)
    {
        var stored = await GetTokenAsync(user, LoginProvider, KeyName, cancellationToken);
        if (stored is null) return null;
        if (!stored.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            logger.LogWarning("User {UserId} has an authenticator key in an unprotected form; it is not used.", user.Id);
            return null;
        }
        try
        {
            return Protector(user).Unprotect(stored[KeyPrefix.Length..]);
        }
        catch (CryptographicException)
        {
            logger.LogWarning("The authenticator key of user {UserId} does not decrypt (altered, copied or its key is gone); it is not used.", user.Id);
            return null;
        }
    }

    public override Task ReplaceCodesAsync(AppUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        SetTokenAsync(user, LoginProvider, CodesName, CodesPrefix + string.Join(";", recoveryCodes.Select(c => HashCode(user, c))), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(AppUser user, string code, CancellationToken cancellationToken)
    {
        var hashes = await StoredHashesAsync(user, cancellationToken);
        var presented = Encoding.ASCII.GetBytes(HashCode(user, code));
        // Compare with every stored hash, in fixed time, without stopping at a match.
        var match = -1;
        for (var i = 0; i < hashes.Count; i++)
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(hashes[i]))) match = i;
        if (match < 0) return false;
        hashes.RemoveAt(match);
        await SetTokenAsync(user, LoginProvider, CodesName, CodesPrefix + string.Join(";", hashes), cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(AppUser user, CancellationToken cancellationToken) =>
        (await StoredHashesAsync(user, cancellationToken)).Count;

    private async Task<List<string>> StoredHashesAsync(AppUser user, CancellationToken ct)
    {
        var stored = await GetTokenAsync(user, LoginProvider, CodesName, ct);
        // Codes stored in plaintext by an earlier version are not honoured: new codes replace them.
        if (stored is null || !stored.StartsWith(CodesPrefix, StringComparison.Ordinal)) return [];
        return [.. stored[CodesPrefix.Length..].Split(';', StringSplitOptions.RemoveEmptyEntries)];
    }

    internal static string HashCode(AppUser user, string code)
    {
        var salt = Encoding.UTF8.GetBytes("sspf-recovery-code-v1:" + user.Id.ToString("N"));
        var normalised = Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant());
        return Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(normalised, salt, CodeHashIterations, HashAlgorithmName.SHA256, 32));
    }
}
