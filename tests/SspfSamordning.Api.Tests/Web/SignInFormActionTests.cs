using Microsoft.AspNetCore.WebUtilities;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>
/// The sign-in page's CSP form-action (<see cref="AuthorizeFormAction"/>): widened to a client's registered redirect
/// URI origin only when the return URL is an authorization request of that registered client with that registered URI.
/// The browser proof of the redirect itself is SspfSamordning.Web.Tests' AuthorizeJourneyTests.
/// </summary>
public sealed class SignInFormActionTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private const string ClientId = "csp-klient";
    private const string RedirectUri = "http://127.0.0.1:5556/callback";
    private const string Strict = "form-action 'self'";

    private async Task RegisterAsync()
    {
        await OAuthClients.RegisterOnceAsync(factory, ClientId, RedirectUri);
        await OAuthClients.RegisterOnceAsync(factory, "annan-klient", "https://annan.example/cb");
    }

    private static string Authorize(string clientId = ClientId, string redirectUri = RedirectUri, string path = OpenIdServer.AuthorizationPath) =>
        QueryHelpers.AddQueryString(path, new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["response_type"] = "code", ["scope"] = OpenIdServer.ApiScope,
            ["code_challenge"] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuKcDpL5Hjo", ["code_challenge_method"] = "S256",
        });

    private async Task<string> FormActionOfSignInAsync(string returnUrl)
    {
        var (response, _) = await new WebClient(factory).GetAsync("/logga-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        response.EnsureSuccessStatusCode();
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        return policy[policy.IndexOf("form-action", StringComparison.Ordinal)..];
    }

    [Fact]
    public async Task SignInForARegisteredClientsAuthorizeRequest_AllowsThatRedirectOriginOnly()
    {
        await RegisterAsync();
        Assert.Equal(Strict + " http://127.0.0.1:5556", await FormActionOfSignInAsync(Authorize()));

        // The POST's answer too (a wrong password shows the form again, and its next POST ends in the redirect).
        var (wrong, _) = await new WebClient(factory).SubmitPasswordAsync(SspfClient.Demo("samordnare"), "fel-losenord-123", Authorize());
        Assert.EndsWith(Strict + " http://127.0.0.1:5556", wrong.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData(ClientId, "http://127.0.0.1:6666/callback", OpenIdServer.AuthorizationPath)]  // not the registered URI
    [InlineData(ClientId, "https://annan.example/cb", OpenIdServer.AuthorizationPath)]        // another client's URI
    [InlineData("okand-klient", RedirectUri, OpenIdServer.AuthorizationPath)]                 // no such client
    [InlineData(ClientId, RedirectUri, "/connect/authorize-not")]                             // not the authorization endpoint
    [InlineData(ClientId, RedirectUri, "/cases/../connect/authorize")]                        // not the endpoint as written
    [InlineData(ClientId, RedirectUri, "//evil.example/connect/authorize")]                   // not a local return URL
    public async Task SignInForAnythingElse_KeepsFormActionSelf(string clientId, string redirectUri, string path)
    {
        await RegisterAsync();
        Assert.Equal(Strict, await FormActionOfSignInAsync(Authorize(clientId, redirectUri, path)));
    }

    [Fact]
    public async Task SignInWithoutReturnUrl_OrOtherPages_KeepFormActionSelf()
    {
        await RegisterAsync();
        Assert.Equal(Strict, await FormActionOfSignInAsync("/"));
        // An authorization request without a client or a redirect URI (OpenIddict refuses it anyway): nothing to allow.
        Assert.Equal(Strict, await FormActionOfSignInAsync("/connect/authorize?client_id=" + ClientId + "&state=abc"));
        Assert.Equal(Strict, await FormActionOfSignInAsync("/connect/authorize?redirect_uri=" + Uri.EscapeDataString(RedirectUri)));
        var (response, _) = await new WebClient(factory).GetAsync("/logga-in");
        Assert.EndsWith(Strict, response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
