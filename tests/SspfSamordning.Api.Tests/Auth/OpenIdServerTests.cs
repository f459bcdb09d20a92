using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>Issue 18: the OpenID Connect server (OpenIddict) — discovery, keys, the token endpoint, reference tokens bound to a session.</summary>
public sealed class OpenIdServerTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Discovery_NamesTheTokenEndpointAndKeys_AndOffersNoImplicitFlow()
    {
        var client = factory.CreateClient();
        var discoveryResponse = await client.GetAsync("/.well-known/openid-configuration");
        await discoveryResponse.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", discoveryResponse.Content.Headers.ContentType?.MediaType);
        var discovery = await discoveryResponse.JsonAsync();
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains("refresh_token", grants);
        Assert.Contains("password", grants); // Development only (see Production below)
        Assert.DoesNotContain("implicit", grants);
        Assert.Contains(OpenIdServer.ApiScope, discovery.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()));

        var jwksResponse = await client.GetAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery);
        await jwksResponse.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", jwksResponse.Content.Headers.ContentType?.MediaType);
        var jwks = await jwksResponse.JsonAsync();
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        // Only the public half is published.
        foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi" }) Assert.False(key.TryGetProperty(secret, out _), secret);
    }

    /// <summary>Round five (issue 22): OpenIddict's server handler is asked to handle a request on its own endpoints only
    /// (ProtocolRequestSchemes); an address that merely starts like one, or any API address, does not reach it.</summary>
    [Theory]
    [InlineData("/connect/token", true)]
    [InlineData("/CONNECT/Token", true)]
    [InlineData("/connect/authorize", true)]
    [InlineData("/connect/revoke", true)]
    [InlineData("/connect/introspect", true)]
    [InlineData("/.well-known/openid-configuration", true)]
    [InlineData("/.well-known/jwks", true)]
    [InlineData("/enhet", true)]
    [InlineData("/api/cases", false)]
    [InlineData("/api/me", false)]
    [InlineData("/connectx/token", false)]
    [InlineData("/", false)]
    public async Task OpenIddictHandlesRequests_OnItsOwnEndpointsOnly(string path, bool offered)
    {
        var accessor = factory.Services.GetRequiredService<IHttpContextAccessor>();
        var schemes = factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        var previous = accessor.HttpContext;
        accessor.HttpContext = new DefaultHttpContext { Request = { Path = path } };
        try
        {
            var names = (await schemes.GetRequestHandlerSchemesAsync()).Select(s => s.Name).ToList();
            Assert.Equal(offered, names.Contains(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        }
        finally
        {
            accessor.HttpContext = previous;
        }
    }

    [Fact]
    public async Task PasswordGrant_IssuesAReferenceToken_BoundToASession_ThatReachesTheApi()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));
        Assert.Equal(600, tokens.ExpiresIn);
        Assert.True(tokens.TwoFactorSetupRequired);
        // A reference token is a random handle, not a JWT the client could read.
        Assert.DoesNotContain('.', tokens.AccessToken);
        Assert.NotEmpty(tokens.RefreshToken);
        var me = await (await client.Http.GetAsync("/api/me")).JsonAsync();
        Assert.Equal(SspfClient.Demo("fritid"), me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task PasswordGrant_WrongPasswordAndUnknownUser_AnswerIdentically_WithTheStandardError()
    {
        var client = factory.CreateSspfClient();
        var wrong = await client.TokenAsync(SspfClient.Demo("skola"), "Fel-losenord-123!");
        var unknown = await client.TokenAsync("ingen@falkenberg.example", "Fel-losenord-123!");
        await wrong.EnsureOAuthErrorAsync("invalid_grant");
        await unknown.EnsureOAuthErrorAsync("invalid_grant");
        // The sign-in logged these as failed sign-ins; they are not logged a second time as OAuth refusals.
        var before = (await factory.AccessEventsAsync(AuditAction.OAuthRefused)).Count;
        var failuresBefore = (await factory.AccessEventsAsync(AuditAction.LoginFailed)).Count;
        await (await client.TokenAsync(SspfClient.Demo("skola"), "Fel-losenord-123!")).EnsureOAuthErrorAsync("invalid_grant");
        Assert.Equal(before, (await factory.AccessEventsAsync(AuditAction.OAuthRefused)).Count);
        Assert.Equal(failuresBefore + 1, (await factory.AccessEventsAsync(AuditAction.LoginFailed)).Count);
        Assert.Equal(await wrong.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PasswordGrant_WithAnEnrolledSecondFactor_AsksForTheCode_AndTakesEachCodeOnce()
    {
        var client = factory.CreateSspfClient();
        var email = SspfClient.Demo("samordnare");
        var key = await client.EnrolAsync(email);
        factory.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));

        var withoutCode = await client.TokenAsync(email);
        Assert.True((await withoutCode.EnsureOAuthErrorAsync("invalid_grant")).GetProperty("two_factor_required").GetBoolean());

        var code = client.CodeFor(key);
        var tokens = await client.UseTokensAsync(await client.TokenAsync(email, code: code));
        Assert.False(tokens.TwoFactorSetupRequired);
        await (await client.Http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.OK);
        // The same code again (replay guard): refused like any failure.
        await (await client.TokenAsync(email, code: code)).EnsureOAuthErrorAsync("invalid_grant");
    }

    [Fact]
    public async Task TamperedOrUnknownAccessToken_IsRefused()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("polis"));
        var last = tokens.AccessToken[^1];
        client.Use(tokens.AccessToken[..^1] + (last == 'A' ? 'B' : 'A'));
        var tampered = await client.Http.GetAsync("/api/me");
        await tampered.EnsureStatusAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", tampered.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // The refresh token is no access token.
        client.Use(tokens.RefreshToken);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// The bearer check is one query over the token's row and its session (BearerHandler): each condition on the row,
    /// broken in the database, refuses the token on the next request; put back, the same token works again — so each
    /// refusal is that condition's doing.
    /// </summary>
    [Fact]
    public async Task AccessTokenRow_EachConditionOfTheBearerCheck_RefusesTheToken_WhenBroken()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));
        var other = factory.CreateSspfClient();
        var otherTokens = await other.SignInWithPasswordAsync(SspfClient.Demo("skola"));
        var row = await factory.RowAsync(tokens.AccessToken);
        var otherRow = await factory.RowAsync(otherTokens.AccessToken);
        // The row names the session the token acts for and the stamp it was issued under.
        Assert.NotNull(row.ApiSessionId);
        Assert.NotNull(row.ApiSecurityStamp);
        Assert.NotEqual(row.ApiSessionId, otherRow.ApiSessionId);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);

        var (type, status, expires, session, stamp, subject) = (row.Type, row.Status, row.ExpirationDate, row.ApiSessionId, row.ApiSecurityStamp, row.Subject);
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(SspfTokenManager.AccessTokenType, type);
        (string Broken, Action<SspfToken> Break)[] cases =
        [
            ("a refresh token's type", t => t.Type = "urn:ietf:params:oauth:token-type:refresh_token"),
            ("an authorization code's type", t => t.Type = "urn:openiddict:params:oauth:token-type:authorization_code"),
            ("an id token's type", t => t.Type = "urn:ietf:params:oauth:token-type:id_token"),
            ("revoked", t => t.Status = OpenIddictConstants.Statuses.Revoked),
            ("redeemed", t => t.Status = OpenIddictConstants.Statuses.Redeemed),
            ("expiring now", t => t.ExpirationDate = now),
            ("no expiry", t => t.ExpirationDate = null),
            ("no session (a token without the API scope)", t => t.ApiSessionId = null),
            ("an older security stamp", t => t.ApiSecurityStamp = "forra-stampeln"),
            ("no security stamp", t => t.ApiSecurityStamp = null),
            // Another person's live session with that person's current stamp: only the subject check refuses it.
            ("another person's session and stamp", t => (t.ApiSessionId, t.ApiSecurityStamp) = (otherRow.ApiSessionId, otherRow.ApiSecurityStamp)),
            ("another subject", t => t.Subject = otherRow.Subject),
            ("no subject", t => t.Subject = null),
        ];
        foreach (var (broken, breakRow) in cases)
        {
            await factory.ChangeRowAsync(row.Id, breakRow);
            var refused = await client.Http.GetAsync("/api/me");
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"A token row with {broken}: {(int)refused.StatusCode}");
            await factory.ChangeRowAsync(row.Id, t =>
                (t.Type, t.Status, t.ExpirationDate, t.ApiSessionId, t.ApiSecurityStamp, t.Subject) = (type, status, expires, session, stamp, subject));
            await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
        }
    }

    /// <summary>
    /// The other half of the bearer check (SessionPrincipal's one query): each condition on the token's session and
    /// its user, broken in the database — the session revoked, the user disabled, the user's security stamp changed —
    /// refuses the same access token on the very next request; put back, the token works again, so each refusal is that
    /// condition's doing and not a side effect of how it was broken.
    /// </summary>
    [Theory]
    [InlineData("revoked session")]
    [InlineData("disabled user")]
    [InlineData("changed security stamp")]
    public async Task SessionAndUser_EachConditionOfTheBearerCheck_RefusesTheToken_WhenBroken(string broken)
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("fritid"));
        var sessionId = (await factory.RowAsync(tokens.AccessToken)).ApiSessionId!.Value;
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);

        string? stamp = null; // the user's own, read by the change that breaks it
        var (breakRows, restore) = broken switch
        {
            "revoked session" => ((Action<AuthSession, AppUser>)((s, _) => s.RevokedAt = factory.Clock.GetUtcNow()), (Action<AuthSession, AppUser>)((s, _) => s.RevokedAt = null)),
            "disabled user" => ((_, u) => u.IsDisabled = true, (_, u) => u.IsDisabled = false),
            _ => ((_, u) => (stamp, u.SecurityStamp) = (u.SecurityStamp, "ny-stampel"), (_, u) => u.SecurityStamp = stamp),
        };
        await ChangeSessionAsync(sessionId, breakRows);
        try
        {
            var refused = await client.Http.GetAsync("/api/me");
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"A token of a {broken}: {(int)refused.StatusCode}");
            Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            // Put back even when refused wrongly: the class's other tests sign in as the same person.
            await ChangeSessionAsync(sessionId, restore);
        }
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    private async Task ChangeSessionAsync(Guid sessionId, Action<AuthSession, AppUser> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var session = await db.AuthSessions.Include(s => s.User).SingleAsync(s => s.Id == sessionId);
        change(session, session.User!);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Many requests with the same access token at once each run their own session lookup: the query is compiled once
    /// per model, but nothing of one execution (its command, its reader) is shared with another's.
    /// </summary>
    [Fact]
    public async Task ConcurrentRequests_EachReadTheirOwnSession()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("socialsekreterare"));
        for (var round = 0; round < 5; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => client.Http.GetAsync("/api/me")));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        }
    }

    /// <summary>
    /// A bearer value shaped as SQL is a handle like any other: hashed, compared as a parameter, refused with 401 — and
    /// the tables it names are untouched (the person's own token still works).
    /// </summary>
    [Fact]
    public async Task AnSqlShapedBearerValue_IsJustAnUnknownToken()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("skola"));
        string[] shaped =
        [
            "' OR '1'='1", "' OR 1=1 --", "x'; DELETE FROM \"AuthSessions\"; --", "\" OR \"\"=\"", "1) OR (1=1",
            "'; UPDATE \"AspNetUsers\" SET \"IsDisabled\" = 1; --", "%' OR \"ReferenceId\" LIKE '%",
        ];
        foreach (var handle in shaped)
        {
            client.Use(handle);
            var refused = await client.Http.GetAsync("/api/me");
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"Bearer '{handle}': {(int)refused.StatusCode}");
            Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        client.Use(tokens.AccessToken);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OnlyTheAccessTokensOwnHandle_IsAccepted_AndRevokingItEndsIt()
    {
        var client = factory.CreateSspfClient();
        var tokens = await client.SignInWithPasswordAsync(SspfClient.Demo("socialsekreterare"));
        var access = tokens.AccessToken;
        var letter = access.IndexOf(access.First(char.IsLetter));
        var flipped = access[..letter] + (char.IsUpper(access[letter]) ? char.ToLowerInvariant(access[letter]) : char.ToUpperInvariant(access[letter])) + access[(letter + 1)..];
        string[] others =
        [
            flipped, access.ToUpperInvariant(), access.ToLowerInvariant(), access + "A", access[..^1], " " + access + " x",
            System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            tokens.RefreshToken,
            // The stored (hashed) reference id itself is no handle.
            (await factory.RowAsync(access)).ReferenceId!,
        ];
        foreach (var handle in others)
        {
            client.Use(handle);
            var refused = await client.Http.GetAsync("/api/me");
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"Bearer '{handle}': {(int)refused.StatusCode}");
            Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        client.Use(access);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);

        // RFC 7009: the client revokes its access token; the row says so and the very next request is refused.
        var revoked = await client.Http.PostAsync(OpenIdServer.RevocationPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = OpenIdServer.DevelopmentClientId, ["token"] = access, ["token_type_hint"] = "access_token",
        }));
        await revoked.EnsureStatusAsync(HttpStatusCode.OK);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        // The session itself lives on: a refresh gives a new access token that works.
        await client.UseTokensAsync(await client.RefreshAsync(tokens.RefreshToken));
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AToken_WithoutTheApiScope_NamesNoSession_AndReachesNothingUnderApi_NorDoesTheIdToken()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("polis")); // own password chosen, if the account asks for one
        var response = await client.Http.PostAsync(OpenIdServer.TokenPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = OpenIdServer.DevelopmentClientId, ["scope"] = "openid",
            ["username"] = SspfClient.Demo("polis"), ["password"] = factory.OwnPasswords.GetValueOrDefault((SspfClient.Demo("polis"), SspfClient.DemoPassword), SspfClient.DemoPassword),
        }));
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        var access = body.GetProperty("access_token").GetString()!;
        // The identity token (a JWT for the client, not the API) is no access token either.
        client.Use(body.GetProperty("id_token").GetString());
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        var row = await factory.RowAsync(access);
        Assert.Null(row.ApiSessionId);
        Assert.Null(row.ApiSecurityStamp);
        client.Use(access);
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
        await (await client.Http.GetAsync("/api/cases")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AccessToken_ExpiresByTheServersClock()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("socialsekreterare"));
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        await (await client.Http.GetAsync("/api/me")).EnsureStatusAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PasswordGrant_FromAnUnknownClient_IsRefusedWithInvalidClient()
    {
        var client = factory.CreateSspfClient();
        var refusal = await factory.OAuthRefusalAsync(async () =>
        {
            var response = await client.Http.PostAsync(OpenIdServer.TokenPath, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "okand-klient", ["username"] = SspfClient.Demo("fritid"), ["password"] = SspfClient.DemoPassword,
            }));
            await response.EnsureOAuthErrorAsync("invalid_client", HttpStatusCode.Unauthorized);
        });
        // Logged with neither the unknown client id nor anything of the credentials.
        Assert.Equal(OpenIdAudit.TokenEntity, refusal.EntityType);
        Assert.Equal("invalid_client; type=password", refusal.Purpose);
        Assert.Null(refusal.ActorUserId);
    }

    [Fact]
    public void OutsideDevelopment_WithoutSigningAndEncryptionCertificates_RefusesToStart()
    {
        var folder = Directory.CreateTempSubdirectory("sspf-oidc-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSspfOpenIdServer(
                new ConfigurationBuilder().Build(), new TestHostEnvironment("Production", folder), new AuthOptions()));
            Assert.Contains("OpenIdConnect:SigningKey:CertificatePath", error.Message, StringComparison.Ordinal);
            Assert.Contains("Production", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(folder)); // nothing generated outside Development
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
