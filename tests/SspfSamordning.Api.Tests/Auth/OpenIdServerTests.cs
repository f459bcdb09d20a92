using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
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
