using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// Sign-in through the municipality's identity provider (<see cref="Federation"/>). GET /logga-in/extern/{provider}
/// sends the browser there (OpenIddict's client: code flow, PKCE S256, state and nonce); GET /logga-in/extern/svar is
/// where it comes back: OpenIddict redeems the code and validates the ID token, then this maps the answer to an
/// existing account of that municipality. A provider that asserted several factors gives a full session; otherwise the
/// person gives the local second factor on /logga-in/extern/kod (or, without one, enrols it as after a password-only
/// sign-in). Every refusal goes back to /logga-in with a Swedish message and is written to the access log.
/// </summary>
public static class FederatedSignIn
{
    /// <summary>The account waiting for its local second factor: a Data Protection cookie valid for five minutes.</summary>
    public const string PendingCookie = "sspf-extern";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);
    private const string ReturnUrlItem = "sspf_return";
    /// <summary>/logga-in's message parameter values of the refusals.</summary>
    public const string FailedNotice = "extern-fel", NoAccountNotice = "extern-konto";

    public static void Map(IEndpointRouteBuilder app)
    {
        // Without a configured provider OpenIddict's client is not registered: no address to call.
        if (app.ServiceProvider.GetRequiredService<IReadOnlyList<FederationProvider>>().Count == 0) return;
        app.MapGet(Federation.StartPath + "/{provider}", Start).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Federation.CallbackPath, Callback).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(RateLimits.WebSignIn);
        FederatedSignOut.Map(app);
    }

    internal static ITimeLimitedDataProtector Protector(IDataProtectionProvider provider) =>
        provider.CreateProtector("Sspf.FederatedSignIn.v1").ToTimeLimitedDataProtector();

    private static IResult Start(string provider, string? returnUrl, IReadOnlyList<FederationProvider> providers)
    {
        if (!providers.Any(p => p.Name == provider)) return Results.NotFound();
        var properties = new AuthenticationProperties { Items = { [OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = provider } };
        properties.Items[ReturnUrlItem] = WebSession.SafeReturnUrl(returnUrl);
        return Results.Challenge(properties, [OpenIddictClientAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> Callback(
        HttpContext http, IReadOnlyList<FederationProvider> providers, SspfDbContext db, UserManager<AppUser> users,
        IAuditContext audit, AuditLog log, UnknownAccountEvents unknownEvents, IDataProtectionProvider dataProtection,
        IOptions<AuthOptions> options, TimeProvider time, ILogger<FederationProvider> logger, CancellationToken ct)
    {
        var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        var registration = result.Principal?.FindFirst(Claims.Private.RegistrationId)?.Value
            ?? (result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.RegistrationId, out var id) == true ? id : null);
        var provider = providers.FirstOrDefault(p => p.Name == registration);
        string? error = null, description = null;
        if (!result.Succeeded || result.Principal is null || provider is null)
        {
            error = result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.Error, out var e) == true ? e : "no_result";
            description = result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.ErrorDescription, out var d) == true
                ? d : result.Failure?.Message;
        }
        else if (!IdentityTokenCurrent(result.Properties, time.GetUtcNow()))
        {
            // OpenIddict checks the signature, issuer, audience and nonce of the ID token from the token endpoint; its
            // lifetime is checked here (an expired one was accepted by OpenIddict 7.9's client in the tests).
            (error, description) = (Errors.InvalidToken, "The identity token is expired, not yet valid or has no expiry.");
        }
        if (error is not null)
        {
            logger.LogWarning("Federated sign-in refused: the answer of provider {Provider} did not validate ({Error}: {Description}).",
                provider?.Name ?? "-", error, description);
            // Anyone can call this address: such refusals name no one and share the unknown-account budget.
            if (unknownEvents.TryAdmit())
                await log.AppendAsync(audit.NewEvent(AuditAction.LoginFailed, AuditDecision.Refused, entityType: Federation.AuditEntity,
                    purpose: Federation.Purpose(provider?.Name, FederationRefusal.InvalidResponse, Safe(error))), ct);
            return Results.LocalRedirect(WebSession.SignInPath + "?meddelande=" + FailedNotice);
        }
        var answer = result.Principal!;

        var (user, refusal) = await Federation.FindAccountAsync(provider!, answer, db, users, ct);
        if (refusal is not null || user is null)
        {
            logger.LogWarning("Federated sign-in through provider {Provider} refused: {Refusal}.", provider!.Name, refusal);
            if (user is not null || unknownEvents.TryAdmit())
                await log.AppendAsync(audit.NewEvent(AuditAction.LoginFailed, AuditDecision.Refused, entityType: Federation.AuditEntity,
                    actorUserId: user?.Id, purpose: Federation.Purpose(provider.Name, refusal)), ct);
            return Results.LocalRedirect(WebSession.SignInPath + "?meddelande=" + NoAccountNotice);
        }

        var returnUrl = result.Properties?.Items.TryGetValue(ReturnUrlItem, out var r) == true ? r : "/";
        var multiFactor = provider!.AssertsMultiFactor(answer);
        var identityToken = result.Properties?.GetTokenValue(OpenIddictClientAspNetCoreConstants.Tokens.BackchannelIdentityToken) ?? "";
        if (!multiFactor && user.TwoFactorEnabled && !options.Value.RelaxTwoFactor)
        {
            // The provider vouched for one factor: the local second factor is the other (next page).
            // The ID token (a JWT: no '|') is kept for the sign-out at the provider (its id_token_hint).
            http.Response.Cookies.Append(PendingCookie,
                Protector(dataProtection).Protect($"{user.Id}|{provider.Name}|{identityToken}|{returnUrl}", PendingLifetime), PendingCookieOptions(http));
            return Results.LocalRedirect(Federation.CodePath);
        }
        return await CompleteAsync(http, user, provider.Name, identityToken, multiFactor ? "provider" : "none", returnUrl, audit, log, options.Value, ct);
    }

    /// <summary>Opens the web session of a federated sign-in and logs it; then the same next steps as a password sign-in.</summary>
    internal static async Task<IResult> CompleteAsync(HttpContext http, AppUser user, string provider, string identityToken, string secondFactor,
        string? returnUrl, IAuditContext audit, AuditLog log, AuthOptions options, CancellationToken ct)
    {
        var multiFactor = secondFactor != "none";
        await log.AppendAsync(audit.NewEvent(AuditAction.LoginSucceeded, actorUserId: user.Id, entityType: Federation.AuditEntity,
            purpose: Federation.Purpose(provider, null, "mfa=" + secondFactor)), ct);
        await WebSession.SignInAsync(http, user, multiFactor, ct, FederatedSignOut.Items(provider, identityToken));
        http.Response.Cookies.Delete(PendingCookie, PendingCookieOptions(http));
        if (user.MustChangePassword) return Results.LocalRedirect(WebSession.ChangePasswordPath);
        if (!multiFactor && !options.RelaxTwoFactor) return Results.LocalRedirect(WebSession.SecondFactorPath);
        return Results.LocalRedirect(WebSession.SafeReturnUrl(returnUrl));
    }

    internal static CookieOptions PendingCookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        // Lax: the redirect that sets it began at the provider (cross-site); Strict would not be sent to the code page.
        SameSite = SameSiteMode.Lax,
        Path = Federation.StartPath,
        MaxAge = PendingLifetime,
    };

    /// <summary>The pending account of <see cref="PendingCookie"/>, or null when it is missing, tampered with or expired.</summary>
    internal static (Guid UserId, string Provider, string IdentityToken, string ReturnUrl)? ReadPending(HttpContext http, IDataProtectionProvider dataProtection)
    {
        if (http.Request.Cookies[PendingCookie] is not { } value) return null;
        try
        {
            var parts = Protector(dataProtection).Unprotect(value).Split('|', 4);
            return parts.Length == 4 && Guid.TryParse(parts[0], out var userId) ? (userId, parts[1], parts[2], parts[3]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The ID token of the token response (signature already checked by OpenIddict) has an expiry, and now lies in its lifetime (one minute's skew).</summary>
    private static bool IdentityTokenCurrent(AuthenticationProperties? properties, DateTimeOffset now)
    {
        if (properties?.GetTokenValue(OpenIddictClientAspNetCoreConstants.Tokens.BackchannelIdentityToken) is not { } raw) return false;
        var token = new JsonWebToken(raw);
        var skew = TimeSpan.FromMinutes(1);
        return token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp)
               && DateTimeOffset.FromUnixTimeSeconds(exp) + skew > now
               && (!token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf) || DateTimeOffset.FromUnixTimeSeconds(nbf) - skew <= now);
    }

    /// <summary>An OAuth error code is a short token of letters and underscores; anything else is not copied into the log.</summary>
    internal static string Safe(string error) =>
        error.Length <= 40 && error.All(c => char.IsAsciiLetterLower(c) || c == '_') ? error : "other";
}
