using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using OpenIddict.Client;
using OpenIddict.Client.AspNetCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// Sign-out at the municipality's identity provider (OpenID Connect RP-initiated logout). A web session opened through
/// the provider (<see cref="FederatedSignIn"/>) carries, in its encrypted cookie's properties, the provider's name and
/// the ID token it answered with. When the person signs out (/logga-ut) the app first ends its own session (the
/// <see cref="AuthSession"/> row is revoked and the cookie deleted — the old cookie is refused from the next request on),
/// then sends the browser to the provider's end_session_endpoint through OpenIddict's client: id_token_hint, a state
/// (signed, single-use, bound to this browser by OpenIddict's correlation cookie) and the post_logout_redirect_uri
/// <see cref="Federation.SignedOutPath"/>. The sign-out's POST cannot redirect there itself: Chrome applies the page's
/// CSP form-action ('self') to every hop of a form's redirect chain. So it redirects to
/// <see cref="Federation.SignOutAtProviderPath"/>, a page that navigates on (Refresh header, and a link without it) to
/// the hop that redirects to the provider; what that hop needs (provider, ID token) waits in a five-minute Data Protection
/// cookie (<see cref="PendingCookie"/>), used once. A provider whose discovery document names no end_session_endpoint
/// (or that cannot be reached) means a local sign-out only. The way back only shows the "Du är utloggad" message: it
/// changes no session, so a forged or replayed one changes nothing (it lands on /logga-in without the message).
/// </summary>
public static class FederatedSignOut
{
    /// <summary>The web session cookie's property items (never claims: the cookie's principal is re-read every request).</summary>
    public const string ProviderItem = "sspf_idp", IdentityTokenItem = "sspf_idp_id_token";
    /// <summary>The provider and ID token between the local sign-out and the redirect to the provider.</summary>
    public const string PendingCookie = "sspf-extern-ut";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    public static IReadOnlyDictionary<string, string?> Items(string provider, string identityToken) =>
        new Dictionary<string, string?> { [ProviderItem] = provider, [IdentityTokenItem] = identityToken };

    internal static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Federation.SignedOutPath, SignedOut).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(RateLimits.WebSignIn);

    /// <summary>
    /// After the local session has ended: true (and the pending cookie set) when the browser is to sign out at the provider
    /// too; false for a local sign-out only — the session did not come through a provider, or the provider has no
    /// end-session endpoint (or its discovery failed).
    /// </summary>
    public static async Task<bool> RememberAsync(HttpContext http, AuthenticationProperties? session, CancellationToken ct)
    {
        if (session?.Items.TryGetValue(ProviderItem, out var name) != true || string.IsNullOrEmpty(name)) return false;
        var idToken = session.Items.TryGetValue(IdentityTokenItem, out var token) ? token ?? "" : "";
        if (await AtProviderAsync(http, name, idToken, ct) is null) return false;
        http.Response.Cookies.Append(PendingCookie, PendingValue(http.RequestServices, name, idToken), FederatedSignIn.PendingCookieOptions(http));
        return true;
    }

    /// <summary>The <see cref="PendingCookie"/>'s value for a sign-out at <paramref name="provider"/>: protected, for five minutes.</summary>
    public static string PendingValue(IServiceProvider services, string provider, string identityToken) =>
        Protector(services).Protect($"{provider}|{identityToken}", PendingLifetime);

    /// <summary>The pending sign-out at the provider, taken once (the cookie is deleted); null when missing, tampered with or expired.</summary>
    public static async Task<AuthenticationProperties?> TakeAsync(HttpContext http, CancellationToken ct)
    {
        var pending = ReadPending(http);
        http.Response.Cookies.Delete(PendingCookie, FederatedSignIn.PendingCookieOptions(http));
        return pending is { } p ? await AtProviderAsync(http, p.Provider, p.IdentityToken, ct) : null;
    }

    /// <summary>The provider's display name of the pending sign-out (for the page), or null.</summary>
    public static string? PendingProviderName(HttpContext http) => ReadPending(http) is { } pending
        ? http.RequestServices.GetRequiredService<IReadOnlyList<FederationProvider>>().FirstOrDefault(p => p.Name == pending.Provider)?.DisplayName
        : null;

    private static (string Provider, string IdentityToken)? ReadPending(HttpContext http)
    {
        if (http.Request.Cookies[PendingCookie] is not { } value) return null;
        try
        {
            var parts = Protector(http.RequestServices).Unprotect(value).Split('|', 2);
            return parts.Length == 2 ? (parts[0], parts[1]) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Sspf.FederatedSignOut.v1").ToTimeLimitedDataProtector();

    /// <summary>OpenIddict's sign-out properties for the provider, or null when it has no end-session endpoint.</summary>
    private static async Task<AuthenticationProperties?> AtProviderAsync(HttpContext http, string name, string idToken, CancellationToken ct)
    {
        var providers = http.RequestServices.GetRequiredService<IReadOnlyList<FederationProvider>>();
        if (!providers.Any(p => p.Name == name) || http.RequestServices.GetService<OpenIddictClientService>() is not { } client) return null;
        var logger = http.RequestServices.GetRequiredService<ILogger<FederationProvider>>();
        try
        {
            var configuration = await client.GetServerConfigurationByRegistrationIdAsync(name, ct);
            if (configuration.EndSessionEndpoint is null)
            {
                logger.LogInformation("Provider {Provider} has no end-session endpoint: local sign-out only.", name);
                return null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Provider {Provider}'s configuration could not be read ({Error}): local sign-out only.", name, e.GetType().Name);
            return null;
        }
        var properties = new AuthenticationProperties { Items = { [OpenIddictClientAspNetCoreConstants.Properties.RegistrationId] = name } };
        if (!string.IsNullOrEmpty(idToken))
            properties.Items[OpenIddictClientAspNetCoreConstants.Properties.IdentityTokenHint] = idToken;
        return properties;
    }

    /// <summary>Back from the provider: only a state this browser was sent away with (once) shows the signed-out message.</summary>
    private static async Task<IResult> SignedOut(HttpContext http, ILogger<FederationProvider> logger)
    {
        var result = await http.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        if (result.Succeeded) return Results.LocalRedirect(WebSession.SignInPath + "?meddelande=utloggad");
        var error = result.Properties?.Items.TryGetValue(OpenIddictClientAspNetCoreConstants.Properties.Error, out var e) == true ? e : "no_result";
        logger.LogWarning("A post-logout redirection did not validate ({Error}); nothing was changed.", FederatedSignIn.Safe(error ?? "other"));
        return Results.LocalRedirect(WebSession.SignInPath);
    }
}
