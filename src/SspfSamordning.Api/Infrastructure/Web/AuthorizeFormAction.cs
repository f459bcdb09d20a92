using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Infrastructure.Web;

/// <summary>
/// The one widening of the pages' CSP form-action: a sign-in page reached from /connect/authorize ends, after its POST,
/// in a redirect chain (/logga-in → /connect/authorize → the client's redirect URI with the code), and Chrome applies
/// form-action to every hop. Only when the return URL is an authorization request whose client is registered and whose
/// redirect_uri is one of that client's registered URIs (exact match, as OpenIddict checks it) is that URI's origin
/// allowed as well — for that response only. Anything else (an unknown client, a redirect URI not registered, a return
/// URL that is not an authorization request) leaves form-action 'self'.
/// </summary>
public static class AuthorizeFormAction
{
    private const string ItemKey = "Sspf.Csp.FormAction";

    /// <summary>Allows this response's forms to end at the registered redirect URI named by <paramref name="returnUrl"/>, if any.</summary>
    public static async Task AllowRedirectOfAsync(HttpContext http, string? returnUrl, CancellationToken ct)
    {
        if (await RegisteredRedirectSourceAsync(http, returnUrl, ct) is { } source) http.Items[ItemKey] = source;
    }

    /// <summary>The extra form-action source set for this response, or null.</summary>
    public static string? For(HttpContext http) => http.Items.TryGetValue(ItemKey, out var source) ? source as string : null;

    private static async Task<string?> RegisteredRedirectSourceAsync(HttpContext http, string? returnUrl, CancellationToken ct)
    {
        var prefix = http.Request.PathBase + OpenIdServer.AuthorizationPath;
        if (returnUrl is null || WebSession.SafeReturnUrl(returnUrl) != returnUrl) return null;
        var question = returnUrl.IndexOf('?');
        if (question < 0 || !string.Equals(returnUrl[..question], prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var query = QueryHelpers.ParseQuery(returnUrl[question..]);
        if (query.GetValueOrDefault(OpenIddictConstants.Parameters.ClientId) is not [{ Length: > 0 } clientId]
            || query.GetValueOrDefault(OpenIddictConstants.Parameters.RedirectUri) is not [{ Length: > 0 } redirectUri]
            || !Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri))
            return null;
        var applications = http.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application
            || !await applications.ValidateRedirectUriAsync(application, redirectUri, ct))
            return null;
        // An http(s) URI: its origin. A native app's private-use scheme (com.example.app:/cb): that scheme only.
        return uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":";
    }
}
