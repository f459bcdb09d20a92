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
        IdentityProvider = MunicipalityProvider.Start(Clock, Browser + Federation.CallbackPath);
        foreach (var (name, match) in new[] { ("falkenberg", "Email"), ("falkenberg-hsa", "HsaId") })
        {
            var section = $"{Federation.Section}:{name}:";
            Settings[section + "Municipality"] = "1382";
            Settings[section + "DisplayName"] = name == "falkenberg" ? "Falkenbergs kommuns inloggning" : "SITHS";
            Settings[section + "Issuer"] = IdentityProvider.Issuer;
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
        Provider.NextUser = user;
        var start = await browser.Http.GetAsync($"{Federation.StartPath}/{provider}?returnUrl=%2Farenden");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith(Provider.Issuer, authorize.AbsoluteUri, StringComparison.Ordinal);

        using var toProvider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answer = await toProvider.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var callback = answer.Headers.Location!;
        Assert.Equal(Federation.CallbackPath, callback.AbsolutePath);

        Provider.TamperIdToken = tamper;
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
        var before = (await FederationEventsAsync(AuditAction.LoginFailed)).Count;
        var succeededBefore = (await FederationEventsAsync(AuditAction.LoginSucceeded)).Count;
        var browser = NewBrowser();
        var response = await attempt(browser);
        AssertLandsOn(response, "/logga-in?meddelande=" + notice);
        var (_, page) = await browser.GetAsync("/logga-in?meddelande=" + notice);
        Assert.Contains(notice == "extern-fel" ? "Inloggningen via kommunens inloggning misslyckades" : "Det finns inget aktivt konto",
            WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        (await browser.Http.GetAsync("/")).RedirectsToSignIn();
        Assert.Equal(succeededBefore, (await FederationEventsAsync(AuditAction.LoginSucceeded)).Count);
        var refusal = Assert.Single((await FederationEventsAsync(AuditAction.LoginFailed)).Skip(before));
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
    }

    [Fact]
    public async Task AProviderThatAssertsMfa_SignsInTheExistingAccount_WithoutTheLocalSecondFactor_WithPkce()
    {
        var email = SspfClient.Demo("polis");
        var userId = await UserIdAsync(email);
        var browser = NewBrowser();
        var back = await SignInThroughProviderAsync(browser, new ProviderUser("idp-polis-1", email.ToUpperInvariant(), ["pwd", "mfa"]));
        AssertLandsOn(back, "/arenden");
        Assert.Equal("S256", Provider.LastCodeChallengeMethod);
        // The same web session as a password sign-in: an AuthSession row with both factors, the cookie reads cases.
        var session = Assert.Single(await SessionsAsync(userId));
        Assert.True(session.MultiFactor);
        var (cases, _) = await browser.GetAsync("/arenden");
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);

        var success = (await FederationEventsAsync(AuditAction.LoginSucceeded)).Last();
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
        var browser = NewBrowser();
        // The e-mail claim names someone else: the HSA-id provider compares the HSA-id only.
        var back = await SignInThroughProviderAsync(browser,
            new ProviderUser("idp-skola", SspfClient.Demo("polis"), ["pwd"], FederationFactory.LoA3, "SE2321000131-P000000000042"), "falkenberg-hsa");
        AssertLandsOn(back, "/arenden");
        Assert.Equal(userId, (await FederationEventsAsync(AuditAction.LoginSucceeded)).Last().ActorUserId);
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
        Assert.Equal("provider=falkenberg; mfa=local", (await FederationEventsAsync(AuditAction.LoginSucceeded)).Last().Purpose);
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
        Assert.Equal("provider=falkenberg; mfa=local", (await FederationEventsAsync(AuditAction.LoginSucceeded)).Last().Purpose);

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
