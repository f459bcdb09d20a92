using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using SspfSamordning.Api.Features.Admin;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Web;
using WebClient = SspfSamordning.Api.Tests.Web.WebClient;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>
/// Issue 18: a client following RFC 6749 and RFC 7636 by hand completes authorization code + PKCE (S256) through the
/// web sign-in (its form and antiforgery token, password and TOTP) and reads /api/cases; bad requests get the
/// standard OAuth errors, never a 500.
/// </summary>
public sealed class AuthorizationCodeTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private const string ClientId = "webbklient";
    private const string RedirectUri = "http://127.0.0.1:5555/callback";

    private Task RegisterAsync() => OAuthClients.RegisterOnceAsync(factory, ClientId, RedirectUri);

    private static string Challenge(string verifier) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string AuthorizeUrl(string? challenge, string? method = "S256", string clientId = ClientId, string redirectUri = RedirectUri)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["response_type"] = "code",
            ["scope"] = $"{OpenIdServer.ApiScope} offline_access", ["state"] = "tillstand-1",
        };
        if (challenge is not null) query["code_challenge"] = challenge;
        if (method is not null) query["code_challenge_method"] = method;
        return QueryHelpers.AddQueryString(OpenIdServer.AuthorizationPath, query);
    }

    /// <summary>Signs in through the pages as <paramref name="email"/> and answers the authorization endpoint's redirect to the client.</summary>
    private async Task<Uri> AuthorizeAsync(WebClient browser, string email, string url)
    {
        var first = await browser.Http.GetAsync(url);
        first.RedirectsToSignIn();
        var signedIn = await browser.SignInAsync(email, returnUrl: url);
        signedIn.RedirectsTo(url);
        var back = await browser.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        return back.Headers.Location!;
    }

    private Task<HttpResponseMessage> RedeemAsync(HttpClient http, string code, string verifier) =>
        http.PostAsync(OpenIdServer.TokenPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = ClientId, ["redirect_uri"] = RedirectUri, ["code"] = code, ["code_verifier"] = verifier,
        }));

    [Fact]
    public async Task CodeWithPkce_ThroughTheWebSignIn_GivesATokenThatReadsCases_AndTheCodeWorksOnce()
    {
        await RegisterAsync();
        var verifier = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var browser = new WebClient(factory);
        var url = AuthorizeUrl(Challenge(verifier));
        var callback = await AuthorizeAsync(browser, SspfClient.Demo("samordnare"), url);

        Assert.StartsWith(RedirectUri + "?", callback.OriginalString, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("tillstand-1", query["state"].ToString());
        var code = query["code"].ToString();

        var http = factory.CreateClient();
        // The code is no access token.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", code);
        await (await http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        http.DefaultRequestHeaders.Authorization = null;
        var token = await RedeemAsync(http, code, verifier);
        await token.EnsureStatusAsync(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement;
        var bearer = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        http.DefaultRequestHeaders.Authorization = bearer;
        await (await http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.OK);
        var userId = (await (await http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();
        var refreshToken = body.GetProperty("refresh_token").GetString()!;

        // The same code again (a stolen code replayed): refused; the tokens issued from it are revoked and its sign-in
        // session ends (the web cookie's too), logged once as an authentication event naming the account, never the code.
        http.DefaultRequestHeaders.Authorization = null;
        var reuses = await factory.AccessEventsAsync(AuditAction.AuthorizationCodeReuse);
        var refusals = (await factory.AccessEventsAsync(AuditAction.OAuthRefused)).Count;
        await (await RedeemAsync(http, code, verifier)).EnsureOAuthErrorAsync("invalid_grant");
        var logged = Assert.Single(SspfApiFactory.AddedSince(await factory.AccessEventsAsync(AuditAction.AuthorizationCodeReuse), reuses));
        Assert.Equal(AuditDecision.Refused, logged.Decision);
        Assert.Equal(OpenIdAudit.TokenEntity, logged.EntityType);
        Assert.Equal(userId, logged.ActorUserId);
        Assert.DoesNotContain(code, logged.Purpose ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(verifier, logged.Purpose ?? "", StringComparison.Ordinal);
        Assert.Equal(refusals, (await factory.AccessEventsAsync(AuditAction.OAuthRefused)).Count);

        http.DefaultRequestHeaders.Authorization = bearer;
        await (await http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        http.DefaultRequestHeaders.Authorization = null;
        await (await http.PostAsync(OpenIdServer.TokenPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = refreshToken,
        }))).EnsureOAuthErrorAsync("invalid_grant");
        // The browser's sign-in is over too: the authorization endpoint asks it to sign in again.
        (await browser.Http.GetAsync(url)).RedirectsToSignIn();
    }

    [Fact]
    public async Task AReusedCode_EndsOnlyItsOwnSignIn_NotAnotherSessionOfTheSamePerson()
    {
        await RegisterAsync();
        var email = SspfClient.Demo("socialsekreterare");
        var verifier = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var callback = await AuthorizeAsync(new WebClient(factory), email, AuthorizeUrl(Challenge(verifier)));
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        var other = new WebClient(factory);
        var otherVerifier = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var otherCode = QueryHelpers.ParseQuery((await AuthorizeAsync(other, email, AuthorizeUrl(Challenge(otherVerifier)))).Query)["code"].ToString();

        var http = factory.CreateClient();
        await (await RedeemAsync(http, code, verifier)).EnsureStatusAsync(HttpStatusCode.OK);
        await (await RedeemAsync(http, code, verifier)).EnsureOAuthErrorAsync("invalid_grant");

        // The other sign-in's code was never used: it still redeems, and its token reads cases.
        var token = await RedeemAsync(http, otherCode, otherVerifier);
        await token.EnsureStatusAsync(HttpStatusCode.OK);
        var access = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        await (await http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>An OAuth refusal in the access log: the endpoint, the error, type and client — none of <paramref name="secrets"/>.</summary>
    private static void AssertRefusal(AccessEvent refusal, string endpoint, string purpose, params string[] secrets)
    {
        Assert.Equal(endpoint, refusal.EntityType);
        Assert.Equal(purpose, refusal.Purpose);
        Assert.Null(refusal.ActorUserId);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, refusal.Purpose ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWrongVerifier_IsRefused()
    {
        await RegisterAsync();
        var verifier = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var callback = await AuthorizeAsync(new WebClient(factory), SspfClient.Demo("socialsekreterare"), AuthorizeUrl(Challenge(verifier)));
        var code = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        var other = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var refusal = await factory.OAuthRefusalAsync(async () =>
            await (await RedeemAsync(factory.CreateClient(), code, other)).EnsureOAuthErrorAsync("invalid_grant"));
        AssertRefusal(refusal, OpenIdAudit.TokenEntity, "invalid_grant; type=authorization_code; client=" + ClientId, code, other, verifier);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData(null)]
    public async Task PlainOrMissingPkce_IsRefusedWithInvalidRequest_AndNoCode(string? method)
    {
        await RegisterAsync();
        var url = method is null ? AuthorizeUrl(challenge: null, method: null) : AuthorizeUrl("a-plain-challenge-of-sufficient-length-1234567890", method);
        HttpResponseMessage response = null!;
        var refusal = await factory.OAuthRefusalAsync(async () => response = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url));
        // OpenIddict answers these itself (400 with the standard error), before any sign-in: no code can come of them.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("code=", response.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        AssertRefusal(refusal, OpenIdAudit.AuthorizationEntity, "invalid_request; type=code; client=" + ClientId, "a-plain-challenge");
    }

    [Theory]
    [InlineData("okand-klient", RedirectUri)]
    [InlineData(ClientId, "http://127.0.0.1:5555/annan")]
    [InlineData(ClientId, "https://evil.example/callback")]
    public async Task AnUnknownClientOrAnUnregisteredRedirectUri_IsRefusedWithoutRedirecting(string clientId, string redirectUri)
    {
        await RegisterAsync();
        var url = AuthorizeUrl(Challenge("v"), clientId: clientId, redirectUri: redirectUri);
        HttpResponseMessage response = null!;
        var refusal = await factory.OAuthRefusalAsync(async () => response = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        // The error page is plain text; the logged error is the one it shows.
        var error = refusal.Purpose!.Split(';')[0];
        Assert.StartsWith("invalid_", error, StringComparison.Ordinal);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // An unregistered client id is something anyone typed: it is not copied into the log; nor is the redirect URI.
        AssertRefusal(refusal, OpenIdAudit.AuthorizationEntity, $"{error}; type=code" + (clientId == ClientId ? "; client=" + ClientId : ""),
            "okand-klient", redirectUri);
    }

    [Fact]
    public async Task TheImplicitFlow_IsRefused()
    {
        await RegisterAsync();
        var url = AuthorizeUrl(Challenge("v")).Replace("response_type=code", "response_type=token", StringComparison.Ordinal);
        HttpResponseMessage response = null!;
        var refusal = await factory.OAuthRefusalAsync(async () => response = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url));
        Assert.Equal(OpenIdAudit.AuthorizationEntity, refusal.EntityType);
        Assert.StartsWith("unsupported_response_type; type=token", refusal.Purpose, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True((int)response.StatusCode < 500);
        Assert.DoesNotContain("access_token=", response.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
    }

    private const string DeviceClientId = "kommandorad";

    /// <summary>The /enhet page with the user code entered, as the person's browser shows it.</summary>
    private static async Task<string> EnterUserCodeAsync(WebClient browser, string userCode)
    {
        var (response, html) = await browser.GetAsync(OpenIdServer.DeviceVerificationPath + "?user_code=" + Uri.EscapeDataString(userCode));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return html;
    }

    private static Task<(HttpResponseMessage Response, string Html)> AnswerAsync(WebClient browser, string html, string userCode, string answer) =>
        browser.PostFromAsync(OpenIdServer.DeviceVerificationPath, html, ("user_code", userCode), ("svar", answer));

    [Fact]
    public async Task DeviceFlow_PendingUntilThePersonApprovesAtEnhet_ThenATokenWithThePersonsOwnVisibility()
    {
        await OAuthClients.RegisterDeviceOnceAsync(factory, DeviceClientId);
        var http = factory.CreateClient();
        var device = await DeviceFlowSteps.RequestAsync(http, DeviceClientId);
        Assert.EndsWith(OpenIdServer.DeviceVerificationPath, device.VerificationUri, StringComparison.Ordinal);
        var refusals = (await factory.AccessEventsAsync(AuditAction.OAuthRefused)).Count;
        await (await DeviceFlowSteps.PollAsync(http, DeviceClientId, device)).EnsureOAuthErrorAsync("authorization_pending");
        // Polling is the protocol working: not written to the access log as a refusal.
        Assert.Equal(refusals, (await factory.AccessEventsAsync(AuditAction.OAuthRefused)).Count);

        // Not signed in: the page leads to the sign-in first.
        var browser = new WebClient(factory);
        (await browser.Http.GetAsync(OpenIdServer.DeviceVerificationPath)).RedirectsToSignIn();
        var email = SspfClient.Demo("socialsekreterare");
        await browser.SignInAsync(email);
        var (entry, entryHtml) = await browser.GetAsync(OpenIdServer.DeviceVerificationPath);
        Assert.Equal(HttpStatusCode.OK, entry.StatusCode);
        Assert.Contains("Kod från enheten", entryHtml, StringComparison.Ordinal);

        var html = await EnterUserCodeAsync(browser, device.UserCode);
        Assert.Contains(DeviceClientId, html, StringComparison.Ordinal);
        Assert.Contains("Godkänn", html, StringComparison.Ordinal);
        // Still pending while the page is only shown.
        await (await DeviceFlowSteps.PollAsync(http, DeviceClientId, device)).EnsureOAuthErrorAsync("authorization_pending");
        var (approved, _) = await AnswerAsync(browser, html, device.UserCode, "godkann");
        approved.RedirectsTo(OpenIdServer.DeviceVerificationPath + "?utfall=godkand");
        var (done, doneHtml) = await browser.GetAsync(OpenIdServer.DeviceVerificationPath + "?utfall=godkand");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Enheten är godkänd", doneHtml, StringComparison.Ordinal);

        // Neither the device code nor the user code is an access token.
        foreach (var notAccess in new[] { device.Code, device.UserCode })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", notAccess);
            await (await http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        }
        http.DefaultRequestHeaders.Authorization = null;
        var token = await DeviceFlowSteps.AccessTokenAsync(await DeviceFlowSteps.PollAsync(http, DeviceClientId, device));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var deviceCases = await (await http.GetAsync("/api/cases")).JsonAsync();
        var me = await (await http.GetAsync("/api/me")).JsonAsync();

        // The same person signed in directly sees exactly the same cases: the device has the person's visibility, no more.
        var direct = factory.CreateSspfClient();
        await direct.SignInAsync(email);
        Assert.Equal((await (await direct.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid(), me.GetProperty("id").GetGuid());
        Assert.Equal((await (await direct.Http.GetAsync("/api/cases")).JsonAsync()).GetRawText(), deviceCases.GetRawText());

        // The device code works once; and signing out on the web ends the device's token with the session.
        http.DefaultRequestHeaders.Authorization = null;
        await (await DeviceFlowSteps.PollAsync(http, DeviceClientId, device)).EnsureStatusAsync(HttpStatusCode.BadRequest);
        var (signOutPage, signOutHtml) = await browser.GetAsync("/logga-ut");
        Assert.Equal(HttpStatusCode.OK, signOutPage.StatusCode);
        await browser.PostFromAsync("/logga-ut", signOutHtml);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DeviceFlow_ADenialGivesAccessDenied_AndAWrongOrExpiredUserCodeIsRefusedInSwedish()
    {
        await OAuthClients.RegisterDeviceOnceAsync(factory, DeviceClientId);
        var http = factory.CreateClient();
        var browser = new WebClient(factory);
        await browser.SignInAsync(SspfClient.Demo("polis"));

        var denied = await DeviceFlowSteps.RequestAsync(http, DeviceClientId);
        var html = await EnterUserCodeAsync(browser, denied.UserCode);
        var (answer, _) = await AnswerAsync(browser, html, denied.UserCode, "neka");
        answer.RedirectsTo(OpenIdServer.DeviceVerificationPath + "?utfall=nekad");
        await (await DeviceFlowSteps.PollAsync(http, DeviceClientId, denied)).EnsureOAuthErrorAsync("access_denied");

        // A made-up code: the Swedish message by the field, nothing to approve; posting an approval for it changes nothing.
        var wrong = await EnterUserCodeAsync(browser, "ABCD-EFGH");
        Assert.Contains(Pages.Account.DeviceModel.WrongCode, System.Net.WebUtility.HtmlDecode(wrong), StringComparison.Ordinal);
        Assert.DoesNotContain("Godkänn", wrong, StringComparison.Ordinal);
        var pending = await DeviceFlowSteps.RequestAsync(http, DeviceClientId);
        var (forged, forgedHtml) = await AnswerAsync(browser, wrong, "ABCD-EFGH", "godkann");
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Contains(Pages.Account.DeviceModel.WrongCode, System.Net.WebUtility.HtmlDecode(forgedHtml), StringComparison.Ordinal);
        await (await DeviceFlowSteps.PollAsync(http, DeviceClientId, pending)).EnsureOAuthErrorAsync("authorization_pending");

        // An expired code: the same message, and the device is told its code expired.
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        await browser.SignInAsync(SspfClient.Demo("polis"));
        var expired = await EnterUserCodeAsync(browser, pending.UserCode);
        Assert.Contains(Pages.Account.DeviceModel.WrongCode, System.Net.WebUtility.HtmlDecode(expired), StringComparison.Ordinal);
        await (await DeviceFlowSteps.PollAsync(http, DeviceClientId, pending)).EnsureStatusAsync(HttpStatusCode.BadRequest);
    }
}
