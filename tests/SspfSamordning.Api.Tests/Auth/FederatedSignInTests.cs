using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Web;
using WebClient = SspfSamordning.Api.Tests.Web.WebClient;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>The app with Falkenberg's identity provider configured twice (by e-mail, by HSA-id), played by <see cref="MunicipalityProvider"/>.</summary>
public sealed class FederationFactory : SspfApiFactory
{
    public const string LoA3 = "http://id.elegnamnden.se/loa/1.0/loa3";
    public MunicipalityProvider IdentityProvider { get; }
    /// <summary>A provider that publishes no end_session_endpoint (registered as <c>falkenberg-lokal</c>): sign-out stays local.</summary>
    public MunicipalityProvider ProviderWithoutEndSession { get; }
    /// <summary>
    /// The app's address as the browser sees it. HTTPS, because OpenIddict's client marks its correlation cookie Secure
    /// (a browser keeps that on http://localhost too, the tests' cookie container does not).
    /// </summary>
    public const string Browser = "https://localhost";

    public FederationFactory()
    {
        // OpenIddict's client dates its correlation cookie by the app's clock; the tests' cookie container drops a cookie
        // whose expiry lies in the real past, so this app's clock starts at the real time.
        Clock.Set(DateTimeOffset.UtcNow);
        IdentityProvider = MunicipalityProvider.Start(Clock, Browser + Federation.CallbackPath, Browser + Federation.SignedOutPath);
        ProviderWithoutEndSession = MunicipalityProvider.Start(Clock, Browser + Federation.CallbackPath);
        foreach (var (name, match) in new[] { ("falkenberg", "Email"), ("falkenberg-hsa", "HsaId"), ("falkenberg-lokal", "Email") })
        {
            var section = $"{Federation.Section}:{name}:";
            Settings[section + "Municipality"] = "1382";
            Settings[section + "DisplayName"] = name == "falkenberg" ? "Falkenbergs kommuns inloggning" : "SITHS";
            Settings[section + "Issuer"] = (name == "falkenberg-lokal" ? ProviderWithoutEndSession : IdentityProvider).Issuer;
            Settings[section + "ClientId"] = MunicipalityProvider.ClientId;
            Settings[section + "ClientSecret"] = MunicipalityProvider.ClientSecret;
            Settings[section + "MatchBy"] = match;
            Settings[section + "MfaAcrValues:0"] = LoA3;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await IdentityProvider.DisposeAsync();
        await ProviderWithoutEndSession.DisposeAsync();
    }
}

/// <summary>
/// Issue 18, federation: sign-in through the municipality's OpenID Connect provider (a second OpenIddict server on
/// loopback) maps to an existing account of that municipality, or is refused — unknown subject, another municipality's
/// account, a disabled account, and an ID token with the wrong issuer or audience, expired or tampered with — each with a
/// Swedish message on /logga-in and an access-log event, never a 500 and never a session. Without the provider's word on
/// multi-factor authentication the local second factor is asked.
/// </summary>
public sealed class FederatedSignInTests(FederationFactory factory) : IClassFixture<FederationFactory>
{
    private MunicipalityProvider Provider => factory.IdentityProvider;

    /// <summary>The whole round trip: the app's challenge, the provider's authorization endpoint, the app's callback.</summary>
    private async Task<HttpResponseMessage> SignInThroughProviderAsync(WebClient browser, ProviderUser user, string provider = "falkenberg",
        (Action<JsonObject>, bool)? tamper = null)
    {
        var idp = provider == "falkenberg-lokal" ? factory.ProviderWithoutEndSession : Provider;
        idp.NextUser = user;
        var start = await browser.Http.GetAsync($"{Federation.StartPath}/{provider}?returnUrl=%2Farenden");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(idp.Issuer, authorize.AbsoluteUri, StringComparison.Ordinal);

        using var toProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answer = await toProvider.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var callback = answer.Headers.Location!;
        Assert.Equal(Federation.CallbackPath, callback.AbsolutePath);

        idp.TamperIdToken = tamper;
        var back = await browser.Http.GetAsync(callback.PathAndQuery);
        Assert.True((int)back.StatusCode < 500, $"The callback answered {back.StatusCode}.");
        return back;
    }

    /// <summary>The callback's redirect; when it is another, the app's federation and OpenIddict log lines say why.</summary>
    private void AssertLandsOn(HttpResponseMessage back, string expected) =>
        Assert.True(back.StatusCode == HttpStatusCode.Redirect && back.Headers.Location?.OriginalString == expected,
            $"Expected a redirect to {expected}, got {back.StatusCode} {back.Headers.Location}:\n"
            + string.Join("\n", factory.Logs.Lines.Where(l => l.Contains("Federat", StringComparison.Ordinal)
                || (l.Contains("OpenIddict.Client", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal))).TakeLast(5)));

    private WebClient NewBrowser()
    {
        var browser = new WebClient(factory);
        browser.Http.BaseAddress = new Uri(FederationFactory.Browser);
        return browser;
    }

    private async Task<List<AccessEvent>> FederationEventsAsync(AuditAction action) =>
        (await factory.AccessEventsAsync(action)).Where(e => e.EntityType == Federation.AuditEntity).ToList();

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    /// <summary>The user's sign-in sessions that are still open.</summary>
    private async Task<List<AuthSession>> SessionsAsync(Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SspfDbContext>().AuthSessions
            .Where(s => s.UserId == userId && s.RevokedAt == null).ToListAsync();
    }

    /// <summary>Runs a refused sign-in and checks what every refusal must do: the message, one event, no session, no 500.</summary>
    private async Task<AccessEvent> AssertRefusedAsync(Func<WebClient, Task<HttpResponseMessage>> attempt, string notice)
    {
        // By id, not by position: events of different accounts lie in different stripes of the log, and with the test
        // clock standing still a new one may sort anywhere among them.
        var before = await FederationEventsAsync(AuditAction.LoginFailed);
        var succeededBefore = (await FederationEventsAsync(AuditAction.LoginSucceeded)).Count;
        var browser = NewBrowser();
        var response = await attempt(browser);
        AssertLandsOn(response, "/logga-in?meddelande=" + notice);
        var (_, page) = await browser.GetAsync("/logga-in?meddelande=" + notice);
        Assert.Contains(notice == "extern-fel" ? "Inloggningen via kommunens inloggning misslyckades" : "Det finns inget aktivt konto",
            WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        (await browser.Http.GetAsync("/")).RedirectsToSignIn();
        Assert.Equal(succeededBefore, (await FederationEventsAsync(AuditAction.LoginSucceeded)).Count);
        var refusal = Assert.Single(SspfApiFactory.AddedSince(await FederationEventsAsync(AuditAction.LoginFailed), before));
        Assert.Equal(AuditDecision.Refused, refusal.Decision);
        return refusal;
    }

    [Fact]
    public async Task TheSignInPage_OffersTheMunicipalitysProvider()
    {
        var (_, html) = await NewBrowser().GetAsync("/logga-in");
        Assert.Contains("Logga in med Falkenbergs kommuns inloggning", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains($"href=\"{Federation.StartPath}/falkenberg\"", html, StringComparison.Ordinal);
        // An unconfigured provider name is not a way in.
        Assert.Equal(HttpStatusCode.NotFound, (await NewBrowser().Http.GetAsync(Federation.StartPath + "/okand")).StatusCode);
    }

    [Fact]
    public void WithAProviderConfigured_ItsEndpointsExist_OnTheEndpointPolicyTestsAnonymousList()
    {
        var patterns = Platform.EndpointPolicyTests.Endpoints(factory).Select(Platform.EndpointPolicyTests.Pattern).ToList();
        Assert.Contains(Federation.StartPath + "/{provider}", patterns);
        Assert.Contains(Federation.CallbackPath, patterns);
        Assert.Contains(Federation.CodePath, patterns);
        Assert.Contains(Federation.SignedOutPath, patterns);
    }

    [Fact]
    public async Task AProviderThatAssertsMfa_SignsInTheExistingAccount_WithoutTheLocalSecondFactor_WithPkce()
    {
        var email = SspfClient.Demo("polis");
        var userId = await UserIdAsync(email);
        // Other tests of this class leave the same account signed in elsewhere: only the session this sign-in opens counts.
        var before = (await SessionsAsync(userId)).Select(s => s.Id).ToHashSet();
        var loggedBefore = await FederationEventsAsync(AuditAction.LoginSucceeded); // other accounts' events sort by stripe, not time
        var browser = NewBrowser();
        var back = await SignInThroughProviderAsync(browser, new ProviderUser("idp-polis-1", email.ToUpperInvariant(), ["pwd", "mfa"]));
        AssertLandsOn(back, "/arenden");
        Assert.Equal("S256", Provider.LastCodeChallengeMethod);
        // The same web session as a password sign-in: an AuthSession row with both factors, the cookie reads cases.
        var session = Assert.Single(await SessionsAsync(userId), s => !before.Contains(s.Id));
        Assert.True(session.MultiFactor);
        var (cases, _) = await browser.GetAsync("/arenden");
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);

        var success = Assert.Single(SspfApiFactory.AddedSince(await FederationEventsAsync(AuditAction.LoginSucceeded), loggedBefore));
        Assert.Equal(userId, success.ActorUserId);
        Assert.Equal("provider=falkenberg; mfa=provider", success.Purpose);
        // Neither the client secret nor the e-mail address is written anywhere.
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(MunicipalityProvider.ClientSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(email, success.Purpose, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnAcrValueConfiguredAsMultiFactor_Counts_AndAnHsaIdProviderMapsByHsaId()
    {
        var email = SspfClient.Demo("skola");
        var userId = await UserIdAsync(email);
        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.HsaId, "SE2321000131-P000000000042"));
        var loggedBefore = await FederationEventsAsync(AuditAction.LoginSucceeded); // other accounts' events sort by stripe, not time
        var browser = NewBrowser();
        // The e-mail claim names someone else: the HSA-id provider compares the HSA-id only.
        var back = await SignInThroughProviderAsync(browser,
            new ProviderUser("idp-skola", SspfClient.Demo("polis"), ["pwd"], FederationFactory.LoA3, "SE2321000131-P000000000042"), "falkenberg-hsa");
        AssertLandsOn(back, "/arenden");
        Assert.Equal(userId, Assert.Single(SspfApiFactory.AddedSince(await FederationEventsAsync(AuditAction.LoginSucceeded), loggedBefore)).ActorUserId);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/arenden")).StatusCode);
    }

    [Fact]
    public async Task WithoutTheProvidersWordOnMfa_TheLocalCodeIsAsked_AWrongOneCounts_TheRightOneSignsIn()
    {
        var email = SspfClient.Demo("socialsekreterare");
        var key = await factory.CreateSspfClient().EnrolAsync(email);
        var userId = await UserIdAsync(email);
        var browser = NewBrowser();
        var back = await SignInThroughProviderAsync(browser, new ProviderUser("idp-soc", email, ["pwd"]));
        AssertLandsOn(back, Federation.CodePath);
        Assert.Empty(await SessionsAsync(userId));

        var failedBefore = (await factory.AccessEventsAsync(AuditAction.LoginFailed)).Count(e => e.ActorUserId == userId);
        var (wrong, wrongPage) = await browser.PostFormAsync(Federation.CodePath, [new("Code", "000000")]);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Koden stämmer inte", WebUtility.HtmlDecode(wrongPage), StringComparison.Ordinal);
        Assert.Equal(failedBefore + 1, (await factory.AccessEventsAsync(AuditAction.LoginFailed)).Count(e => e.ActorUserId == userId));
        (await browser.Http.GetAsync("/")).RedirectsToSignIn();

        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var (right, _) = await browser.PostFormAsync(Federation.CodePath, [new("Code", browser.Code(key))]);
        right.RedirectsTo("/arenden");
        Assert.True(Assert.Single(await SessionsAsync(userId)).MultiFactor);
        Assert.Equal("provider=falkenberg; mfa=local", (await FederationEventsAsync(AuditAction.LoginSucceeded)).Last(e => e.ActorUserId == userId).Purpose);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/arenden")).StatusCode);

        // Without the pending cookie (another browser) the code page leads back to the start.
        (await NewBrowser().Http.GetAsync(Federation.CodePath)).RedirectsTo("/logga-in?meddelande=extern-fel");
    }

    [Fact]
    public async Task AnUnknownSubject_IsRefused_AndNoAccountIsCreated()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var accounts = await db.Users.CountAsync();
        var refusal = await AssertRefusedAsync(b => SignInThroughProviderAsync(b, new ProviderUser("idp-okand", "okand@falkenberg.example", ["mfa"])), "extern-konto");
        Assert.Equal("provider=falkenberg; UnknownAccount", refusal.Purpose);
        Assert.Null(refusal.ActorUserId);
        Assert.Equal(accounts, await db.Users.CountAsync());
    }

    [Fact]
    public async Task AnotherMunicipalitysAccount_IsRefused_ByThisMunicipalitysProvider()
    {
        var refusal = await AssertRefusedAsync(
            b => SignInThroughProviderAsync(b, new ProviderUser("idp-x", SspfClient.Demo("samordnare", "falkoping"), ["mfa"])), "extern-konto");
        Assert.Equal("provider=falkenberg; UnknownAccount", refusal.Purpose);
    }

    [Fact]
    public async Task ADisabledAccount_IsRefused_AndNamedInTheLog()
    {
        var email = SspfClient.Demo("fritid");
        var userId = await UserIdAsync(email);
        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true));
        var refusal = await AssertRefusedAsync(b => SignInThroughProviderAsync(b, new ProviderUser("idp-fritid", email, ["mfa"])), "extern-konto");
        Assert.Equal("provider=falkenberg; DisabledAccount", refusal.Purpose);
        Assert.Equal(userId, refusal.ActorUserId);
        Assert.Empty(await SessionsAsync(userId));
    }

    [Fact]
    public async Task ALockedOutAccount_IsRefused_EvenWhenTheProviderAssertsMfa_AndWithoutTheLockoutSignsIn()
    {
        var email = SspfClient.Demo("analytiker");
        var userId = await UserIdAsync(email);
        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnabled, true).SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddDays(1)));
        // The provider vouches for both factors; the local lockout still holds.
        var refusal = await AssertRefusedAsync(b => SignInThroughProviderAsync(b, new ProviderUser("idp-analytiker", email, ["pwd", "mfa"])), "extern-konto");
        Assert.Equal("provider=falkenberg; LockedAccount", refusal.Purpose);
        Assert.Equal(userId, refusal.ActorUserId);
        Assert.Empty(await SessionsAsync(userId));

        // Without the lockout the same answer signs in: the refusal was the lockout's, nothing else.
        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null));
        var browser = NewBrowser();
        AssertLandsOn(await SignInThroughProviderAsync(browser, new ProviderUser("idp-analytiker", email, ["pwd", "mfa"])), "/arenden");
        Assert.True(Assert.Single(await SessionsAsync(userId)).MultiFactor);
    }

    [Fact]
    public async Task WithoutTheProvidersWordOnMfa_ARecoveryCodeSignsIn_Once()
    {
        var email = SspfClient.Demo("granskare");
        var api = factory.CreateSspfClient();
        await api.EnrolAsync(email);
        var recovery = api.RecoveryCodes[email][0];
        var userId = await UserIdAsync(email);

        var browser = NewBrowser();
        AssertLandsOn(await SignInThroughProviderAsync(browser, new ProviderUser("idp-granskare", email, ["pwd"])), Federation.CodePath);
        var (first, _) = await browser.PostFormAsync(Federation.CodePath, [new("RecoveryCode", recovery)]);
        first.RedirectsTo("/arenden");
        Assert.True(Assert.Single(await SessionsAsync(userId)).MultiFactor);
        Assert.Equal("provider=falkenberg; mfa=local", (await FederationEventsAsync(AuditAction.LoginSucceeded)).Last(e => e.ActorUserId == userId).Purpose);

        // The same recovery code a second time (another browser, another federated sign-in): spent, refused, counted.
        var failedBefore = (await factory.AccessEventsAsync(AuditAction.LoginFailed)).Count(e => e.ActorUserId == userId);
        var again = NewBrowser();
        AssertLandsOn(await SignInThroughProviderAsync(again, new ProviderUser("idp-granskare", email, ["pwd"])), Federation.CodePath);
        var (second, page) = await again.PostFormAsync(Federation.CodePath, [new("RecoveryCode", recovery)]);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("Koden stämmer inte", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Equal(failedBefore + 1, (await factory.AccessEventsAsync(AuditAction.LoginFailed)).Count(e => e.ActorUserId == userId));
        (await again.Http.GetAsync("/")).RedirectsToSignIn();
        Assert.Single(await SessionsAsync(userId));
    }

    [Fact]
    public async Task SignOut_EndsTheLocalSessionFirst_ThenSendsTheBrowserToTheProvidersEndSession_AndOnlyTheRealStateShowsTheMessage()
    {
        var email = SspfClient.Demo("socialsekreterare");
        var userId = await UserIdAsync(email);
        var browser = NewBrowser();
        var signedIn = await SignInThroughProviderAsync(browser, new ProviderUser("idp-soc-ut", email, ["pwd", "mfa"]));
        AssertLandsOn(signedIn, "/arenden");
        var idToken = Provider.LastIssuedIdToken;
        Assert.False(string.IsNullOrEmpty(idToken));
        // The session cookie as the sign-in set it, to be sent again after the sign-out.
        var oldCookie = string.Join("; ", signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => !c.EndsWith('=')));
        using var replay = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
            { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(FederationFactory.Browser) });
        Task<HttpResponseMessage> WithOldCookieAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/arenden");
            request.Headers.Add("Cookie", oldCookie);
            return replay.SendAsync(request);
        }
        Assert.Equal(HttpStatusCode.OK, (await WithOldCookieAsync()).StatusCode);
        var (_, page) = await browser.GetAsync("/logga-ut");
        var logoutsBefore = (await factory.AccessEventsAsync(AuditAction.Logout)).Count(e => e.ActorUserId == userId);
        var sessionsBefore = (await SessionsAsync(userId)).Count;

        var (signedOut, _) = await browser.PostFromAsync("/logga-ut", page);
        // Not straight to the provider: the form's redirect chain would have to pass the page's CSP form-action 'self'.
        signedOut.RedirectsTo(Federation.SignOutAtProviderPath);

        // Before the browser reaches the provider the local session is over: the row revoked, logged, the old cookie refused.
        Assert.Equal(sessionsBefore - 1, (await SessionsAsync(userId)).Count);
        Assert.Equal(logoutsBefore + 1, (await factory.AccessEventsAsync(AuditAction.Logout)).Count(e => e.ActorUserId == userId));
        (await WithOldCookieAsync()).RedirectsToSignIn();
        (await browser.Http.GetAsync("/arenden")).RedirectsToSignIn();

        // The page between goes on by itself (Refresh header) or by its link to the hop that redirects to the provider.
        var (between, betweenHtml) = await browser.GetAsync(Federation.SignOutAtProviderPath);
        Assert.Equal(HttpStatusCode.OK, between.StatusCode);
        var next = Federation.SignOutAtProviderPath + "?handler=Vidare";
        Assert.Equal("0;url=" + next, between.Headers.GetValues("Refresh").Single());
        Assert.Contains($"href=\"{next}\"", betweenHtml);
        Assert.Contains("Falkenbergs kommuns inloggning", WebUtility.HtmlDecode(betweenHtml), StringComparison.Ordinal);
        var toEndSession = await browser.Http.GetAsync(next);
        Assert.Equal(HttpStatusCode.Redirect, toEndSession.StatusCode);
        var endSession = toEndSession.Headers.Location!;
        Assert.StartsWith(Provider.Issuer + "endsession?", endSession.AbsoluteUri, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(endSession.Query);
        Assert.Equal(idToken, query["id_token_hint"].ToString());
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Equal(FederationFactory.Browser + Federation.SignedOutPath, query["post_logout_redirect_uri"].ToString());
        // Taken once: again, it is only the local sign-out's message.
        (await browser.Http.GetAsync(next)).RedirectsTo("/logga-in?meddelande=utloggad");

        using var toProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var atProvider = await toProvider.GetAsync(endSession);
        Assert.Equal(HttpStatusCode.Redirect, atProvider.StatusCode);
        Assert.Equal(idToken, Provider.LastEndSession!.IdTokenHint);
        var back = atProvider.Headers.Location!;
        Assert.Equal(Federation.SignedOutPath, back.AbsolutePath);

        // The browser that was sent away: the signed-out message, once.
        AssertLandsOn(await browser.Http.GetAsync(back.PathAndQuery), "/logga-in?meddelande=utloggad");
        Assert.Contains("Du är utloggad.", WebUtility.HtmlDecode((await browser.GetAsync("/logga-in?meddelande=utloggad")).Html), StringComparison.Ordinal);
        // The same state again (a replay, here and in another, signed-in browser) and made-up ones: no message, and the
        // other browser's session is untouched.
        var other = NewBrowser();
        AssertLandsOn(await SignInThroughProviderAsync(other, new ProviderUser("idp-polis-ut", SspfClient.Demo("polis"), ["mfa"])), "/arenden");
        AssertLandsOn(await browser.Http.GetAsync(back.PathAndQuery), "/logga-in");
        foreach (var forged in new[] { back.PathAndQuery, Federation.SignedOutPath + "?state=forfalskad", Federation.SignedOutPath })
        {
            AssertLandsOn(await other.Http.GetAsync(forged), "/logga-in");
            Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/arenden")).StatusCode);
        }
        (await browser.Http.GetAsync("/arenden")).RedirectsToSignIn();
    }

    [Fact]
    public async Task SignOut_AfterAPasswordSignIn_OrThroughAProviderWithoutEndSession_IsLocalOnly()
    {
        var viaLocal = NewBrowser();
        var email = SspfClient.Demo("skola");
        AssertLandsOn(await SignInThroughProviderAsync(viaLocal, new ProviderUser("idp-skola-ut", email, ["mfa"]), "falkenberg-lokal"), "/arenden");
        var sessionsBefore = (await SessionsAsync(await UserIdAsync(email))).Count;
        var password = NewBrowser();
        (await password.SignInAsync(SspfClient.Demo("samordnare"))).RedirectsTo("/");
        foreach (var browser in new[] { viaLocal, password })
        {
            var (_, page) = await browser.GetAsync("/logga-ut");
            var (signedOut, _) = await browser.PostFromAsync("/logga-ut", page);
            signedOut.RedirectsTo("/logga-in?meddelande=utloggad");
            (await browser.Http.GetAsync("/arenden")).RedirectsToSignIn();
        }
        Assert.Equal(sessionsBefore - 1, (await SessionsAsync(await UserIdAsync(email))).Count);
    }

    public static TheoryData<string> BadTokens => ["wrong-issuer", "wrong-audience", "expired", "tampered"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadIdToken_IsRefused_WithAMessageAndAnEvent(string kind)
    {
        var now = factory.Clock.GetUtcNow().ToUnixTimeSeconds();
        (Action<JsonObject>, bool) tamper = kind switch
        {
            "wrong-issuer" => (p => p["iss"] = "http://127.0.0.1:1/en-annan-utgivare/", false),
            "wrong-audience" => (p => p["aud"] = "en-annan-klient", false),
            "expired" => (p => { p["iat"] = now - 3600; p["nbf"] = now - 3600; p["exp"] = now - 600; }, false),
            // Someone else's address under the provider's signature of the original payload.
            _ => (p => p["email"] = SspfClient.Demo("admin"), true),
        };
        var adminId = await UserIdAsync(SspfClient.Demo("admin"));
        var refusal = await AssertRefusedAsync(
            b => SignInThroughProviderAsync(b, new ProviderUser("idp-samordnare", SspfClient.Demo("samordnare"), ["mfa"]), tamper: tamper), "extern-fel");
        Assert.StartsWith("provider=falkenberg; InvalidResponse; invalid_", refusal.Purpose, StringComparison.Ordinal);
        // Refused for the token, not for anything before it (the state, the correlation cookie).
        var reason = factory.Logs.Lines.Last(l => l.Contains("Federated sign-in refused", StringComparison.Ordinal));
        Assert.DoesNotContain("correlation", reason, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("state", reason, StringComparison.OrdinalIgnoreCase);
        Assert.Null(refusal.ActorUserId);
        Assert.Empty(await SessionsAsync(adminId));
    }
}
