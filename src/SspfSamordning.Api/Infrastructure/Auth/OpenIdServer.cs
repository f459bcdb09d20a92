using System.Security.Cryptography.X509Certificates;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// The OpenID Connect / OAuth 2.0 server (OpenIddict, where the design card names Duende IdentityServer): its stores are
/// tables of <see cref="SspfDbContext"/>; discovery at <c>/.well-known/openid-configuration</c>, keys at
/// <c>/.well-known/jwks</c>, tokens at <see cref="TokenPath"/>. Access and refresh tokens are reference tokens: the client
/// holds a random handle, the token itself is a row; and every user token carries its sign-in session (<c>sid</c>).
/// A bearer request is checked by one query (<see cref="BearerHandler"/>, <see cref="SessionPrincipal.LoadForAccessTokenAsync"/>):
/// the access token's row by its hashed handle — whose <see cref="SspfToken.ApiSessionId"/> names the session, set by
/// <see cref="SspfTokenManager"/> when the row is created — joined to that session and its user. OpenIddict's validation
/// stack (the payload's signature, the token-entry and authorization-entry checks: CPU and a query more per request,
/// bench/results/tokens.md) is not registered: the row's type, status and expiry are its token-entry check, and the
/// authorization-entry check proved nothing more (the only thing here that revokes an authorization is the reuse of a
/// refresh token or code, which also revokes every token of it and, through <see cref="RefreshTokenReuseHandler"/>,
/// the session). A new reason to revoke an authorization must revoke its tokens or its session as well. A spent refresh token presented again revokes its whole authorization (every token
/// issued from the same sign-in) and its sign-in session (<see cref="RefreshTokenReuseHandler"/>): no reuse leeway.
/// Every refusal at the token and authorization endpoints is written to the access log (<see cref="OpenIdAudit"/>).
/// </summary>
public static class OpenIdServer
{
    public const string SigningSection = "OpenIdConnect:SigningKey";
    public const string EncryptionSection = "OpenIdConnect:EncryptionKey";
    public const string TokenPath = "/connect/token";
    public const string AuthorizationPath = "/connect/authorize";
    public const string RevocationPath = "/connect/revoke";
    public const string IntrospectionPath = "/connect/introspect";
    /// <summary>Device authorization (RFC 8628) for command-line tools; the person approves the user code at <see cref="DeviceVerificationPath"/>.</summary>
    public const string DeviceAuthorizationPath = "/connect/device";
    /// <summary>The web page (Swedish) where a fully signed-in person enters a device's user code and approves or denies it.</summary>
    public const string DeviceVerificationPath = "/enhet";
    /// <summary>The scope of the case API. A token without it reaches nothing under <c>/api</c>.</summary>
    public const string ApiScope = "sspf_api";
    /// <summary>The user's security stamp when the token was issued: a password change ends every token (private claim).</summary>
    public const string StampClaim = "sspf_stamp";
    /// <summary>The public client of the Development password grant (demos, tests); never registered elsewhere.</summary>
    public const string DevelopmentClientId = "sspf-dev";
    /// <summary>Extra token request parameters of the Development password grant.</summary>
    public const string TwoFactorCodeParameter = "two_factor_code", RecoveryCodeParameter = "recovery_code";

    public static IServiceCollection AddSspfOpenIdServer(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, AuthOptions auth)
    {
        var signing = ConfiguredCertificate.Load(configuration, environment, SigningSection, "OpenID Connect signing key",
            "oidc-signing.pfx", X509KeyUsageFlags.DigitalSignature);
        var encryption = ConfiguredCertificate.Load(configuration, environment, EncryptionSection, "OpenID Connect encryption key",
            "oidc-encryption.pfx", X509KeyUsageFlags.KeyEncipherment);

        services.AddOpenIddict()
            .AddCore(o =>
            {
                o.UseEntityFrameworkCore().UseDbContext<SspfDbContext>()
                    .ReplaceDefaultEntities<SspfApplication, SspfAuthorization, SspfScope, SspfToken, Guid>();
                // An API access token's row names its session (BearerHandler's single query).
                o.ReplaceTokenManager<SspfToken, SspfTokenManager>();
            })
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris(AuthorizationPath.TrimStart('/'))
                    .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetRevocationEndpointUris(RevocationPath.TrimStart('/'))
                    .SetIntrospectionEndpointUris(IntrospectionPath.TrimStart('/'))
                    .SetDeviceAuthorizationEndpointUris(DeviceAuthorizationPath.TrimStart('/'))
                    .SetEndUserVerificationEndpointUris(DeviceVerificationPath.TrimStart('/'));
                // Browser and native clients: authorization code with PKCE, S256 only (no plain, no implicit flow).
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                o.AllowRefreshTokenFlow();
                // Command-line tools: the device flow; the person approves at /enhet with the web session.
                o.AllowDeviceAuthorizationFlow();
                // System clients (registered with --register-client): a token that names the client, never a person, and
                // without the API scope — it reaches no /api endpoint (BearerHandler wants a session); it may introspect
                // and revoke what it holds.
                o.AllowClientCredentialsFlow();
                // The password grant exists for demos and tests only; it goes through the same PasswordSignIn checks.
                if (environment.IsDevelopment()) o.AllowPasswordFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess, ApiScope);
                o.UseReferenceAccessTokens().UseReferenceRefreshTokens();
                o.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(auth.AccessTokenMinutes));
                o.SetRefreshTokenLifetime(TimeSpan.FromDays(auth.RefreshTokenDays));
                o.AddSigningCertificate(signing).AddEncryptionCertificate(encryption);
                // A reference access token's payload stays in the token row and never reaches the client (the client holds
                // only the random reference id), so it is signed but not encrypted: decrypting it (an RSA private-key
                // operation per request) was most of a request's extra cost against the first-party token it replaced
                // (bench/results/tokens.md). It carries the subject, session id, security stamp and scopes — values the
                // database already holds in clear. Codes, refresh and device tokens stay encrypted.
                o.DisableAccessTokenEncryption();
                // Refusals and refresh token reuse go to the access log (and a reuse ends the sign-in session).
                o.AddEventHandler(RefreshTokenReuseHandler.Descriptor)
                    .AddEventHandler(OpenIdAudit.TokenDescriptor)
                    .AddEventHandler(OpenIdAudit.AuthorizationDescriptor);
                var aspNetCore = o.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough();
                // Development (and the tests) speak plain HTTP on loopback; everywhere else OpenIddict refuses HTTP.
                if (environment.IsDevelopment()) aspNetCore.DisableTransportSecurityRequirement();
            });
        // No OpenIddict validation stack: BearerHandler checks an access token by its row and its session in one query.
        return services;
    }

    /// <summary>Development: the public client of the password grant, so that demos and tests can sign in without a browser.</summary>
    public static async Task SeedDevelopmentClientAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(DevelopmentClientId, ct) is not null) return;
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = DevelopmentClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "SSPF Samordning (Development)",
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.Password,
                Permissions.GrantTypes.RefreshToken,
                Permissions.Prefixes.Scope + ApiScope,
            },
        }, ct);
    }
}
