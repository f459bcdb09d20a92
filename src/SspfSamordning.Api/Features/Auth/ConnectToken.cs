using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// POST /connect/token, after OpenIddict has validated the request (client, grant, scopes; for a refresh, the token: spent
/// once, and a spent one presented again revokes every token of its sign-in). This handler decides who the token is for:
/// <list type="bullet">
/// <item>password grant (Development only): <see cref="PasswordSignIn"/>'s checks, the second factor as the extra
/// parameters <c>two_factor_code</c> / <c>recovery_code</c>; a success starts an <see cref="AuthSession"/>.</item>
/// <item>refresh, authorization code and device code grants: the session is re-read (<see cref="SessionPrincipal"/>): a signed-out, disabled, re-stamped or
/// too old session gets no new tokens.</item>
/// </list>
/// Every token names its session (<c>sid</c>) and ends with it at the latest.
/// </summary>
public static class ConnectToken
{
    public const string TwoFactorRequired = "two_factor_required";
    public const string TwoFactorSetupRequired = "two_factor_setup_required";
    public const string PasswordChangeRequired = "password_change_required";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(OpenIdServer.TokenPath, Handle).AllowAnonymous().RequireRateLimiting(RateLimits.Token).ExcludeFromDescription();

    private static async Task<IResult> Handle(
        HttpContext http, PasswordSignIn signIn, SessionStore sessions, SspfDbContext db, TimeProvider time, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (request.IsPasswordGrantType()) return await PasswordAsync(request, http, signIn, sessions, time, options.Value, ct);
        if (request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType() || request.IsDeviceCodeGrantType()) return await RefreshAsync(http, db, time, options.Value, ct);
        if (request.IsClientCredentialsGrantType()) return SystemClient(request);
        return Refuse(Errors.UnsupportedGrantType, "Den här typen av begäran stöds inte.");
    }

    private static async Task<IResult> PasswordAsync(OpenIddictRequest request, HttpContext http, PasswordSignIn signIn, SessionStore sessions,
        TimeProvider time, AuthOptions options, CancellationToken ct)
    {
        var result = await signIn.SignInAsync(request.Username, request.Password,
            (string?)request[OpenIdServer.TwoFactorCodeParameter], (string?)request[OpenIdServer.RecoveryCodeParameter], ct);
        switch (result.Outcome)
        {
            case SignInOutcome.Throttled: return RateLimits.TooManyAttempts(http, signIn.ThrottleWindow);
            case SignInOutcome.SecondFactorRequired:
                return Refuse(Errors.InvalidGrant, "Ange koden från din autentiseringsapp.", new() { [TwoFactorRequired] = true });
            case SignInOutcome.Failed: return Refuse(Errors.InvalidGrant, "Fel e-postadress eller lösenord.");
        }
        var user = result.User!;
        var session = await sessions.OpenSessionAsync(user, result.MultiFactor, ct);
        var principal = TokenPrincipal(user.Id, session.Id, session.CreatedAt, user.SecurityStamp!, request.GetScopes(), time.GetUtcNow(), options);
        var properties = new AuthenticationProperties();
        properties.Parameters[TwoFactorSetupRequired] = !result.MultiFactor && !options.RelaxTwoFactor;
        properties.Parameters[PasswordChangeRequired] = user.MustChangePassword;
        return Results.SignIn(principal, properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> RefreshAsync(HttpContext http, SspfDbContext db, TimeProvider time, AuthOptions options, CancellationToken ct)
    {
        // OpenIddict has already checked the refresh token, authorization code (PKCE verifier, redirect URI) or approved
        // device code and spent it; its principal names the session.
        var spent = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (spent is null || !TryReadSession(spent, out var userId, out var sessionId, out var stamp))
            return Refuse(Errors.InvalidGrant, "Inloggningen har upphört.");
        var now = time.GetUtcNow();
        var current = await SessionPrincipal.LoadAsync(db, userId, sessionId, stamp, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, now, options, ct);
        if (current is null) return Refuse(Errors.InvalidGrant, "Inloggningen har upphört.");
        // The one read of the session (SessionPrincipal) carries its start: no second read of the row.
        return Results.SignIn(TokenPrincipal(userId, sessionId, current.SessionCreatedAt(), stamp, spent.GetScopes(), now, options),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A system client (client credentials; OpenIddict has checked its secret and scope permissions): the token names the
    /// client and no person and never carries the API scope, so it reaches no case data.
    /// </summary>
    private static IResult SystemClient(OpenIddictRequest request)
    {
        if (request.GetScopes().Contains(OpenIdServer.ApiScope))
            return Refuse(Errors.InvalidScope, "Ett systemklient-konto får inte åtkomst till ärendedata.");
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, request.ClientId!);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The subject, session and security stamp of a token issued here; false for any other principal.</summary>
    public static bool TryReadSession(ClaimsPrincipal principal, out Guid userId, out Guid sessionId, out string stamp)
    {
        stamp = principal.GetClaim(OpenIdServer.StampClaim) ?? "";
        sessionId = Guid.Empty;
        return Guid.TryParse(principal.GetClaim(Claims.Subject), out userId)
               && Guid.TryParse(principal.GetClaim(SspfClaims.SessionId), out sessionId) && stamp.Length > 0;
    }

    /// <summary>What a token issued for the session carries: subject, session, stamp and the granted scopes; its lifetimes end with the session.</summary>
    public static ClaimsPrincipal TokenPrincipal(Guid userId, Guid sessionId, DateTimeOffset sessionCreatedAt, string stamp, IEnumerable<string> scopes, DateTimeOffset now, AuthOptions options)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userId.ToString())
            .SetClaim(SspfClaims.SessionId, sessionId.ToString())
            .SetClaim(OpenIdServer.StampClaim, stamp);
        identity.SetScopes(scopes.Intersect([Scopes.OfflineAccess, OpenIdServer.ApiScope]));
        // Only the access token carries claims (reference tokens: they stay in the database); no identity token is asked for.
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        // No token outlives its session.
        var left = sessionCreatedAt + options.SessionLifetime - now;
        principal.SetAccessTokenLifetime(Min(TimeSpan.FromMinutes(options.AccessTokenMinutes), left));
        principal.SetRefreshTokenLifetime(Min(TimeSpan.FromDays(options.RefreshTokenDays), left));
        return principal;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static IResult Refuse(string error, string description, Dictionary<string, object?>? parameters = null)
    {
        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }, parameters);
        return Results.Forbid(properties, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
