using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Tests.Auth;

/// <summary>Who signs in at the municipality's provider next, and what it says about them.</summary>
public sealed record ProviderUser(string Subject, string? Email = null, string[]? Amr = null, string? Acr = null, string? HsaId = null);

/// <summary>
/// The municipality's identity provider in the tests: a second OpenIddict server on a real loopback port (Kestrel), with
/// its own SQLite store, ephemeral keys and the tests' clock. Its authorization endpoint signs in <see cref="NextUser"/>
/// without a page; <see cref="TamperIdToken"/> rewrites the ID token of the next token response (re-signed with the
/// provider's own key, or with its payload changed under the original signature) to play a broken or hostile provider.
/// </summary>
public sealed class MunicipalityProvider : IAsyncDisposable
{
    public const string ClientId = "sspf-samordning";
    public const string ClientSecret = "kommunens-hemlighet-for-tester-0123456789";

    private readonly WebApplication app;
    private readonly string directory;

    public string Issuer { get; }
    public ProviderUser? NextUser { get; set; }
    /// <summary>Changes the next ID token's payload; <c>KeepSignature</c> leaves the original signature on the changed payload.</summary>
    public (Action<JsonObject> Change, bool KeepSignature)? TamperIdToken { get; set; }
    /// <summary>The code challenge method of the last authorization request (PKCE as the app sent it).</summary>
    public string? LastCodeChallengeMethod { get; private set; }
    /// <summary>The last request to the end-session endpoint (RP-initiated logout), when the provider has one.</summary>
    public OpenIddictRequest? LastEndSession { get; private set; }
    /// <summary>The ID token of the last token response, as sent (after any tampering).</summary>
    public string? LastIssuedIdToken { get; private set; }

    private MunicipalityProvider(string issuer, string directory, TimeProvider clock, string redirectUri, string? postLogoutRedirectUri)
    {
        Issuer = issuer;
        this.directory = directory;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(issuer.TrimEnd('/'));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(clock);
        builder.Services.AddDbContext<ProviderDb>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "provider.db")};Pooling=False").UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(o =>
            {
                o.SetIssuer(new Uri(issuer));
                o.SetAuthorizationEndpointUris("authorize").SetTokenEndpointUris("token");
                // Without a post-logout address the provider plays one that publishes no end_session_endpoint.
                if (postLogoutRedirectUri is not null) o.SetEndSessionEndpointUris("endsession");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                var aspNetCore = o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
                if (postLogoutRedirectUri is not null) aspNetCore.EnableEndSessionEndpointPassthrough();
                o.AddEventHandler<OpenIddictServerEvents.ApplyTokenResponseContext>(handler => handler
                    .UseInlineHandler(context =>
                    {
                        if (TamperIdToken is { } tamper && context.Response.IdToken is { } idToken)
                        {
                            TamperIdToken = null;
                            context.Response.IdToken = Rewrite(idToken, tamper.Change, tamper.KeepSignature, context.Options.SigningCredentials[0]);
                        }
                        LastIssuedIdToken = context.Response.IdToken;
                        return default;
                    })
                    .SetOrder(int.MinValue + 100_000));
            });
        app = builder.Build();
        app.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            LastCodeChallengeMethod = request.CodeChallengeMethod;
            var user = NextUser ?? throw new InvalidOperationException("The test did not say who signs in at the provider.");
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, user.Subject));
            if (user.Email is not null) identity.AddClaim(new Claim(Claims.Email, user.Email));
            if (user.HsaId is not null) identity.AddClaim(new Claim("hsa_id", user.HsaId));
            if (user.Acr is not null) identity.AddClaim(new Claim(Claims.AuthenticationContextReference, user.Acr));
            foreach (var amr in user.Amr ?? []) identity.AddClaim(new Claim(Claims.AuthenticationMethodReference, amr));
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost("/token", async (HttpContext http) =>
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(result.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapMethods("/endsession", [HttpMethods.Get, HttpMethods.Post], (HttpContext http) =>
        {
            LastEndSession = http.GetOpenIddictServerRequest();
            return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        RedirectUri = redirectUri;
        PostLogoutRedirectUri = postLogoutRedirectUri;
    }

    private string RedirectUri { get; }
    private string? PostLogoutRedirectUri { get; }

    /// <summary>
    /// Starts the provider on a free loopback port, its client (the app) registered with <paramref name="redirectUri"/>;
    /// with <paramref name="postLogoutRedirectUri"/> it also has an end-session endpoint that sends the browser back there.
    /// </summary>
    public static MunicipalityProvider Start(TimeProvider clock, string redirectUri, string? postLogoutRedirectUri = null)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var provider = new MunicipalityProvider($"http://127.0.0.1:{port}/", Directory.CreateTempSubdirectory("sspf-idp-").FullName, clock, redirectUri, postLogoutRedirectUri);
        provider.StartAsync().GetAwaiter().GetResult();
        return provider;
    }

    private async Task StartAsync()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDb>().Database.EnsureCreatedAsync();
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                RedirectUris = { new Uri(RedirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            if (PostLogoutRedirectUri is not null)
            {
                descriptor.PostLogoutRedirectUris.Add(new Uri(PostLogoutRedirectUri));
                descriptor.Permissions.Add(Permissions.Endpoints.EndSession);
            }
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(descriptor);
        }
        await app.StartAsync();
    }

    /// <summary>The ID token with its payload changed: re-signed with <paramref name="key"/>, or under its old signature.</summary>
    private static string Rewrite(string jwt, Action<JsonObject> change, bool keepSignature, SigningCredentials key)
    {
        var parts = jwt.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        change(payload);
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        if (keepSignature) return $"{parts[0]}.{body}.{parts[2]}";
        var signer = key.Key.CryptoProviderFactory.CreateForSigning(key.Key, key.Algorithm);
        var signature = signer.Sign(Encoding.ASCII.GetBytes($"{parts[0]}.{body}"));
        return $"{parts[0]}.{body}.{Base64Url.EncodeToString(signature)}";
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
