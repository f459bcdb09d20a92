using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace SspfSamordning.Web.Tests;

/// <summary>
/// The authorization code flow in a real browser: /connect/authorize → /logga-in → (POST) → /connect/authorize → the
/// client's loopback redirect URI with the code. Chrome applies the sign-in page's CSP form-action to that whole redirect
/// chain, so this fails if the page's form-action does not allow the registered redirect URI (AuthorizeFormAction).
/// </summary>
public sealed class AuthorizeJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string ClientId = "webbklient-loopback";
    private const string RedirectUri = "http://127.0.0.1:5557/callback";

    [Fact]
    public async Task AuthorizeRequest_SignInInTheBrowser_LandsOnTheRegisteredRedirectUriWithACode()
    {
        await app.RegisterClientAsync(ClientId, RedirectUri);
        var verifier = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var url = QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = ClientId, ["redirect_uri"] = RedirectUri, ["response_type"] = "code", ["scope"] = "sspf_api",
            ["state"] = "tillstand-webb", ["code_challenge_method"] = "S256",
            ["code_challenge"] = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
        });
        var page = await app.NewPageAsync();
        // The client's loopback listener, played by the test: the request reaches it only if the browser follows the redirect.
        var callbacks = new List<string>();
        await page.RouteAsync(RedirectUri + "**", route =>
        {
            callbacks.Add(route.Request.Url);
            return route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<!doctype html><title>Klar</title><p>Klar</p>" });
        });

        await page.GotoAsync(url);
        Assert.Contains("/logga-in", page.Url);
        await page.GetByLabel("E-postadress").FillAsync(BrowserApp.Demo("samordnare"));
        await page.GetByLabel("Lösenord").FillAsync(BrowserApp.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();

        await page.WaitForURLAsync(RedirectUri + "?**");
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.False(string.IsNullOrEmpty(query["code"]), $"no code in {page.Url}");
        Assert.Equal("tillstand-webb", query["state"]);
        Assert.Single(callbacks);
    }
}
