using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Web;

/// <summary>The web interface's sign-in, cookie session and page protections (issue 19, the foundation), through the real pipeline.</summary>
public sealed class WebSignInTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private const string WrongCredentials = "Fel e-postadress eller lösenord, eller så är kontot spärrat.";

    [Fact]
    public async Task SignIn_WithPasswordAndCode_OpensAnHttpOnlyLaxCookieSession_ThatThePagesAccept()
    {
        var web = new WebClient(factory);
        var signedIn = await web.SignInAsync(SspfClient.Demo("polis"));
        signedIn.RedirectsTo("/");
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sspf=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase); // a session cookie: the idle limit is the server's

        var (start, html) = await web.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Contains("Välkommen, polis", html);
        Assert.Contains("<html lang=\"sv\">", html);
        Assert.Contains("href=\"#innehall\"", html);
    }

    [Fact]
    public async Task ApiEndpoints_RefuseTheWebCookie()
    {
        var web = new WebClient(factory);
        (await web.SignInAsync(SspfClient.Demo("polis"))).RedirectsTo("/");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/")).Response.StatusCode);

        // The same browser, with its cookie, on the API: no bearer token, no session (a cross-site form could otherwise use it).
        Assert.Equal(HttpStatusCode.Unauthorized, (await web.Http.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await web.Http.GetAsync("/api/cases")).StatusCode);
        var post = await web.Http.PostAsJsonAsync("/api/auth/logout", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPasswordAndUnknownUser_AnswerAlike_AndOpenNoSession()
    {
        var web = new WebClient(factory);
        var (wrong, wrongHtml) = await web.PostFormAsync("/logga-in", [new("Email", SspfClient.Demo("polis")), new("Password", "fel-losenord-123")]);
        var (unknown, unknownHtml) = await web.PostFormAsync("/logga-in", [new("Email", "ingen@falkenberg.example"), new("Password", "fel-losenord-123")]);
        foreach (var (response, html) in new[] { (wrong, wrongHtml), (unknown, unknownHtml) })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(WrongCredentials, html);
            Assert.Contains("href=\"#Email\"", html); // the error summary links to the field
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("sspf=", StringComparison.Ordinal)));
        }
        // What was typed is kept (the e-mail), the password is not written back.
        Assert.Contains("value=\"ingen@falkenberg.example\"", unknownHtml);
        Assert.DoesNotContain("fel-losenord-123", unknownHtml);
        web.RedirectsNowhere(await web.GetAsync("/"));
    }

    [Fact]
    public async Task SignIn_EmptyFields_ReRenderWithAMessagePerField()
    {
        var (response, html) = await new WebClient(factory).PostFormAsync("/logga-in", [new("Email", ""), new("Password", "")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ange din e-postadress.", html);
        Assert.Contains("Ange ditt lösenord.", html);
        Assert.Contains("aria-invalid=\"true\"", html);
    }

    [Fact]
    public async Task SignIn_ReplayedCode_IsRefused()
    {
        var email = SspfClient.Demo("socialsekreterare");
        var key = await factory.CreateSspfClient().EnrolAsync(email);
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var web = new WebClient(factory);
        var code = web.Code(key);
        (await web.SignInAsync(email, code: code)).RedirectsTo("/");

        var other = new WebClient(factory);
        var replay = await other.SignInAsync(email, code: code);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("Koden stämmer inte eller har redan använts", await replay.Content.ReadAsStringAsync());
        other.RedirectsNowhere(await other.GetAsync("/"));
    }

    [Fact]
    public async Task SignIn_RecoveryCode_WorksOnce()
    {
        var email = SspfClient.Demo("granskare");
        var api = factory.CreateSspfClient();
        await api.EnrolAsync(email);
        var recovery = api.RecoveryCodes[email][0];

        foreach (var expected in new[] { HttpStatusCode.Redirect, HttpStatusCode.OK })
        {
            var web = new WebClient(factory);
            var (_, html) = await web.SubmitPasswordAsync(email);
            var (response, _) = await web.PostFromAsync("/logga-in", html, ("Pending", WebClient.Hidden(html, "Pending")), ("RecoveryCode", recovery));
            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Fact]
    public async Task SignIn_TamperedPendingStep_StartsOver()
    {
        var email = SspfClient.Demo("polis");
        await factory.CreateSspfClient().EnrolAsync(email);
        var web = new WebClient(factory);
        var (_, html) = await web.SubmitPasswordAsync(email);
        var pending = WebClient.Hidden(html, "Pending");
        var (response, again) = await web.PostFromAsync("/logga-in", html, ("Pending", pending[..^4] + "AAAA"), ("Code", "123456"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Inloggningen tog för lång tid. Logga in igen.", again);
        Assert.Contains("name=\"Password\"", again);
    }

    [Theory]
    [InlineData("//evil.example/stjal")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("http:evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task SignIn_ReturnUrlOutsideTheApp_IsNotFollowed(string returnUrl) =>
        (await new WebClient(factory).SignInAsync(SspfClient.Demo("skola"), returnUrl)).RedirectsTo("/");

    [Fact]
    public async Task SignIn_LocalReturnUrl_IsFollowed_AsAnOpenIdConnectAuthorizationWouldNeed()
    {
        const string target = "/connect/authorize?client_id=x&state=abc";
        (await new WebClient(factory).SignInAsync(SspfClient.Demo("skola"), target)).RedirectsTo(target);
    }

    [Fact]
    public async Task Page_WithoutSession_RedirectsToSignIn_WithItsAddressAsReturnUrl()
    {
        var (response, _) = await new WebClient(factory).GetAsync("/byt-losenord");
        response.RedirectsToSignIn();
        Assert.Contains("returnUrl=%2Fbyt-losenord", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task PasswordOnlySession_ReachesOnlyTheSecondFactorAndPasswordPages()
    {
        var web = new WebClient(factory);
        var (response, _) = await web.SubmitPasswordAsync(SspfClient.Demo("admin2"));
        response.RedirectsTo(WebSession.SecondFactorPath);
        (await web.GetAsync("/")).Response.RedirectsTo(WebSession.SecondFactorPath);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync(WebSession.SecondFactorPath)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync(WebSession.ChangePasswordPath)).Response.StatusCode);
    }

    [Fact]
    public async Task SecondFactor_EnrolledThroughThePages_EndsTheSession_AndTheCodeSignsIn()
    {
        var email = SspfClient.Demo("fritid");
        var web = new WebClient(factory);
        (await web.SubmitPasswordAsync(email)).Response.RedirectsTo(WebSession.SecondFactorPath);

        var (_, page) = await web.GetAsync(WebSession.SecondFactorPath);
        var (_, wrong) = await web.PostFromAsync(WebSession.SecondFactorPath + "?handler=SetUp", page, ("CurrentPassword", "inte-mitt-losenord"));
        Assert.Contains("Nuvarande lösenord stämmer inte.", wrong);
        var (_, setUp) = await web.PostFromAsync(WebSession.SecondFactorPath + "?handler=SetUp", page, ("CurrentPassword", SspfClient.DemoPassword));
        var key = System.Text.RegularExpressions.Regex.Match(setUp, "id=\"nyckel\">([A-Z2-7]+)<").Groups[1].Value;
        Assert.NotEmpty(key);

        var (_, badCode) = await web.PostFromAsync(WebSession.SecondFactorPath + "?handler=Enable", setUp,
            ("SharedKey", key), ("Code", "000000"), ("CurrentPassword", SspfClient.DemoPassword));
        Assert.Contains("Koden stämmer inte.", badCode);
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var (enabled, codes) = await web.PostFromAsync(WebSession.SecondFactorPath + "?handler=Enable", badCode,
            ("SharedKey", key), ("Code", web.Code(key)), ("CurrentPassword", SspfClient.DemoPassword));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Contains("Dina återställningskoder", codes);
        lock (factory.AuthenticatorKeys) factory.AuthenticatorKeys[email] = key;

        // The password-only session ended; a code signs in.
        (await web.GetAsync("/")).Response.RedirectsToSignIn();
        (await new WebClient(factory).SignInAsync(email)).RedirectsTo("/");
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_ReRenders_AndSuccessEndsTheSession()
    {
        var email = SspfClient.Demo("analytiker");
        var web = new WebClient(factory);
        (await web.SubmitPasswordAsync(email)).Response.RedirectsTo(WebSession.SecondFactorPath);
        var (_, page) = await web.GetAsync(WebSession.ChangePasswordPath);
        var (_, wrong) = await web.PostFromAsync(WebSession.ChangePasswordPath, page,
            ("CurrentPassword", "inte-mitt-losenord"), ("NewPassword", "Ett-helt-nytt-losenord-77"), ("ConfirmPassword", "Ett-helt-nytt-losenord-77"));
        Assert.Contains("Nuvarande lösenord stämmer inte.", wrong);
        Assert.Contains("href=\"#CurrentPassword\"", wrong);
        var (_, mismatch) = await web.PostFromAsync(WebSession.ChangePasswordPath, page,
            ("CurrentPassword", SspfClient.DemoPassword), ("NewPassword", "Ett-helt-nytt-losenord-77"), ("ConfirmPassword", "Annat"));
        Assert.Contains("Lösenorden är inte likadana.", mismatch);

        var (changed, _) = await web.PostFromAsync(WebSession.ChangePasswordPath, page,
            ("CurrentPassword", SspfClient.DemoPassword), ("NewPassword", "Ett-helt-nytt-losenord-77"), ("ConfirmPassword", "Ett-helt-nytt-losenord-77"));
        changed.RedirectsTo("/logga-in?meddelande=losenord-bytt");
        lock (factory.OwnPasswords) factory.OwnPasswords[(email, SspfClient.DemoPassword)] = "Ett-helt-nytt-losenord-77";
        (await web.GetAsync(WebSession.ChangePasswordPath)).Response.RedirectsToSignIn();
    }

    [Fact]
    public async Task DisabledUser_IsSignedOutOnTheNextPageLoad()
    {
        var email = SspfClient.Demo("samordnare");
        var web = new WebClient(factory);
        (await web.SignInAsync(email)).RedirectsTo("/");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/")).Response.StatusCode);

        var victim = factory.CreateSspfClient();
        await victim.SignInAsync(email);
        var victimId = (await (await victim.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("id").GetGuid();
        var admin = factory.CreateSspfClient();
        await admin.SignInAsync(SspfClient.Demo("admin"));
        await (await admin.Http.PostAsync($"/api/admin/users/{victimId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NoContent);

        (await web.GetAsync("/")).Response.RedirectsToSignIn();
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndACopiedCookieNoLongerWorks()
    {
        var web = new WebClient(factory);
        var signedIn = await web.SignInAsync(SspfClient.Demo("polis"));
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("sspf=", StringComparison.Ordinal)).Split(';')[0];
        var (_, start) = await web.GetAsync("/");
        var (signedOut, _) = await web.PostFromAsync(WebSession.SignOutPath, start);
        signedOut.RedirectsTo("/logga-in?meddelande=utloggad");

        var thief = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        (await thief.SendAsync(request)).RedirectsToSignIn();
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Is400_AndChangesNothing()
    {
        var web = new WebClient(factory);
        (await web.SignInAsync(SspfClient.Demo("polis"))).RedirectsTo("/");
        var (signOut, html) = await web.PostFormAsync(WebSession.SignOutPath, [], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Contains("Begäran kunde inte hanteras", html);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/")).Response.StatusCode); // still signed in

        var (signIn, _) = await new WebClient(factory).PostFormAsync("/logga-in",
            [new("Email", SspfClient.Demo("polis")), new("Password", SspfClient.DemoPassword)], withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
    }

    [Fact]
    public async Task Pages_SendAContentSecurityPolicy_WithoutInlineScript()
    {
        var (response, html) = await new WebClient(factory).GetAsync("/logga-in");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("<script>", html); // no inline script to allow
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task StaticAssets_AreServedByTheApp()
    {
        var web = new WebClient(factory);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/css/site.css")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/js/site.js")).Response.StatusCode);
    }

    [Fact]
    public async Task UnknownPage_IsTheSwedish404_WithoutDetails_WhileTheApiKeepsProblemDetails()
    {
        var (response, html) = await new WebClient(factory).GetAsync("/finns-inte/alls");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(html.Contains("Sidan finns inte eller så saknar du behörighet", StringComparison.Ordinal), html);
        Assert.DoesNotContain("finns-inte/alls", html);

        // The API keeps its own answers (no HTML).
        var api = await factory.CreateClient().GetAsync("/api/finns-inte");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.NotEqual("text/html", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Session_EndsAfter15MinutesIdle_ButSlidesWhileUsed()
    {
        var web = new WebClient(factory);
        (await web.SignInAsync(SspfClient.Demo("polis"))).RedirectsTo("/");
        for (var i = 0; i < 3; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/")).Response.StatusCode);
        }
        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        (await web.GetAsync("/")).Response.RedirectsToSignIn();
    }
}

internal static class WebClientAssertions
{
    /// <summary>Without a session the start page sends the visitor to sign in.</summary>
    public static void RedirectsNowhere(this WebClient _, (HttpResponseMessage Response, string Html) start) => start.Response.RedirectsToSignIn();
}
