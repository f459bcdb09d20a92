using System.Security.Claims;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>The claims the bearer handler puts on every request, read from the database on that request.</summary>
public static class SspfClaims
{
    public const string SessionId = "sid";
    public const string Party = "party";
    public const string Unit = "unit";
    public const string Municipality = "municipality";
    /// <summary>Authentication method: <c>mfa</c> when a second factor was given at login, otherwise <c>pwd</c>.</summary>
    public const string Amr = "amr";
    /// <summary>Present while the user still has the password an administrator chose (<see cref="AppUser.MustChangePassword"/>).</summary>
    public const string PasswordChangeRequired = "pwd_change";
    /// <summary>When the login session began (round-trip format): what its absolute lifetime is counted from.</summary>
    public const string SessionCreated = "sid_created";

    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    public static Guid SessionIdOf(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(SessionId)!);
    public static DateTimeOffset SessionCreatedAt(this ClaimsPrincipal user) =>
        DateTimeOffset.Parse(user.FindFirstValue(SessionCreated)!, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.RoundtripKind);
    public static Party PartyOf(this ClaimsPrincipal user) => Enum.Parse<Party>(user.FindFirstValue(Party)!);
    public static IReadOnlyList<Guid> Municipalities(this ClaimsPrincipal user) =>
        user.FindAll(Municipality).Select(c => Guid.Parse(c.Value)).ToList();
    public static bool IsMultiFactor(this ClaimsPrincipal user) => user.HasClaim(Amr, "mfa");
    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == PasswordChangeRequired);
}
