using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Client;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>Which of the account's identifiers a provider's claim is compared with.</summary>
public enum FederationMatch { Email, HsaId, EmployeeNumber }

/// <summary>
/// One municipality's external OpenID Connect provider (<c>Federation:Providers:&lt;name&gt;</c>): its issuer, this app's
/// client id and secret there, the municipality (kommunkod) whose accounts it may sign in, and how its answer names an
/// account. The secret is read from configuration only and never logged.
/// </summary>
public sealed class FederationProvider
{
    /// <summary>The configuration key, e.g. <c>falkenberg</c>: the provider's name in URLs and in the access log.</summary>
    public string Name { get; set; } = "";
    /// <summary>The four-digit kommunkod of the municipality whose accounts this provider may sign in (and no other's).</summary>
    public string Municipality { get; set; } = "";
    /// <summary>What the sign-in page calls it: "Logga in med &lt;DisplayName&gt;".</summary>
    public string DisplayName { get; set; } = "";
    public string Issuer { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }
    public FederationMatch MatchBy { get; set; } = FederationMatch.Email;
    /// <summary>The provider's claim that carries the identifier; default <c>email</c>, <c>hsa_id</c>, <c>employee_number</c>.</summary>
    public string? Claim { get; set; }
    /// <summary>Extra scopes to ask for besides <c>openid</c> (e.g. <c>email</c>, <c>profile</c>).</summary>
    public List<string> Scopes { get; set; } = [];
    /// <summary><c>amr</c> values that mean the provider checked more than one factor (RFC 8176).</summary>
    public List<string> MfaAmrValues { get; set; } = [];
    /// <summary><c>acr</c> values that mean the same (e.g. a SITHS/Freja broker's level of assurance 3).</summary>
    public List<string> MfaAcrValues { get; set; } = [];

    public static readonly string[] DefaultMfaAmrValues = ["mfa", "otp", "hwk", "sc"];

    public string ClaimType => !string.IsNullOrWhiteSpace(Claim) ? Claim : MatchBy switch
    {
        FederationMatch.HsaId => "hsa_id",
        FederationMatch.EmployeeNumber => "employee_number",
        _ => Claims.Email,
    };

    /// <summary>Whether the provider's answer says it checked more than one factor.</summary>
    public bool AssertsMultiFactor(ClaimsPrincipal principal)
    {
        var amr = MfaAmrValues.Count > 0 ? MfaAmrValues : [.. DefaultMfaAmrValues];
        return principal.FindAll(Claims.AuthenticationMethodReference).Any(c => amr.Contains(c.Value, StringComparer.Ordinal))
               || principal.FindAll(Claims.AuthenticationContextReference).Any(c => MfaAcrValues.Contains(c.Value, StringComparer.Ordinal));
    }
}

/// <summary>Why a federated sign-in was refused (the access log's purpose; never a token or a claim value).</summary>
public enum FederationRefusal
{
    /// <summary>The provider's answer did not validate (issuer, audience, lifetime, signature, state, an error from it).</summary>
    InvalidResponse,
    /// <summary>The answer lacked the configured claim, or said the e-mail address was not verified.</summary>
    MissingClaim,
    /// <summary>No account of the provider's municipality has the identifier, or more than one has.</summary>
    UnknownAccount,
    DisabledAccount,
    /// <summary>Locked out by failed local attempts (password, code, recovery code): refused even when the provider asserts MFA.</summary>
    LockedAccount,
}

/// <summary>
/// Sign-in through a municipality's own identity provider (Entra ID, a SITHS/Freja eID broker that speaks OpenID Connect):
/// OpenIddict's client, authorization code with PKCE (S256), the answer's ID token checked by OpenIddict (issuer,
/// audience, lifetime, signature against the provider's published keys, nonce, state). The answer names an
/// <em>existing</em> account of that municipality by one configured identifier; no account is ever created here, a
/// disabled one is refused. The result is the same web session (<see cref="WebSession"/>, an <see cref="AuthSession"/>
/// row) as a password sign-in.
/// </summary>
public static class Federation
{
    public const string Section = "Federation:Providers";
    public const string StartPath = "/logga-in/extern";
    public const string CallbackPath = "/logga-in/extern/svar";
    public const string CodePath = "/logga-in/extern/kod";
    /// <summary>The post_logout_redirect_uri: back from the provider's end-session endpoint (RP-initiated logout).</summary>
    public const string SignedOutPath = "/logga-in/extern/utloggad";
    /// <summary>The page between the local sign-out and the provider's end-session endpoint (Features/Auth/FederatedSignOut.cs).</summary>
    public const string SignOutAtProviderPath = "/logga-in/extern/utloggning";
    /// <summary>The access log's entity type of a federated sign-in event.</summary>
    public const string AuditEntity = "FederatedSignIn";

    public static IReadOnlyList<FederationProvider> Read(IConfiguration configuration)
    {
        var providers = new List<FederationProvider>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var provider = new FederationProvider();
            section.Bind(provider);
            provider.Name = section.Key;
            providers.Add(provider);
        }
        return providers;
    }

    /// <summary>Registers OpenIddict's client for the configured providers (nothing when there are none).</summary>
    public static IServiceCollection AddSspfFederation(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var providers = Read(configuration);
        services.AddSingleton(providers);
        if (providers.Count == 0) return services;
        foreach (var p in providers) Check(p);

        // The client's state tokens are signed and encrypted with the server's own keys (same settings, same files).
        var signing = ConfiguredCertificate.Load(configuration, environment, OpenIdServer.SigningSection, "OpenID Connect signing key",
            "oidc-signing.pfx", X509KeyUsageFlags.DigitalSignature);
        var encryption = ConfiguredCertificate.Load(configuration, environment, OpenIdServer.EncryptionSection, "OpenID Connect encryption key",
            "oidc-encryption.pfx", X509KeyUsageFlags.KeyEncipherment);
        services.AddOpenIddict().AddClient(o =>
        {
            o.AllowAuthorizationCodeFlow();
            o.SetRedirectionEndpointUris(CallbackPath.TrimStart('/'));
            o.SetPostLogoutRedirectionEndpointUris(SignedOutPath.TrimStart('/'));
            o.AddSigningCertificate(signing).AddEncryptionCertificate(encryption);
            var aspNetCore = o.UseAspNetCore().EnableRedirectionEndpointPassthrough().EnablePostLogoutRedirectionEndpointPassthrough()
                .EnableErrorPassthrough();
            if (environment.IsDevelopment()) aspNetCore.DisableTransportSecurityRequirement();
            o.UseSystemNetHttp();
            foreach (var p in providers)
            {
                var registration = new OpenIddictClientRegistration
                {
                    Issuer = new Uri(p.Issuer, UriKind.Absolute),
                    RegistrationId = p.Name,
                    ProviderName = p.Name,
                    ProviderDisplayName = p.DisplayName,
                    ClientId = p.ClientId,
                    ClientSecret = string.IsNullOrEmpty(p.ClientSecret) ? null : p.ClientSecret,
                    RedirectUri = new Uri(CallbackPath.TrimStart('/'), UriKind.Relative),
                    // Where the provider's end-session endpoint sends the browser back (Features/Auth/FederatedSignOut.cs).
                    PostLogoutRedirectUri = new Uri(SignedOutPath.TrimStart('/'), UriKind.Relative),
                };
                registration.Scopes.Add(Scopes.OpenId);
                foreach (var scope in p.Scopes) registration.Scopes.Add(scope);
                // Code flow only, PKCE with S256, the answer in the query string.
                registration.GrantTypes.Add(GrantTypes.AuthorizationCode);
                registration.ResponseTypes.Add(ResponseTypes.Code);
                registration.ResponseModes.Add(ResponseModes.Query);
                registration.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                o.AddRegistration(registration);
            }
        });
        return services;
    }

    private static void Check(FederationProvider p)
    {
        string Setting(string name) => $"{Section}:{p.Name}:{name}";
        if (string.IsNullOrWhiteSpace(p.Municipality)) throw new InvalidOperationException($"{Setting("Municipality")} (the kommunkod) is required.");
        if (string.IsNullOrWhiteSpace(p.DisplayName)) throw new InvalidOperationException($"{Setting("DisplayName")} is required.");
        if (string.IsNullOrWhiteSpace(p.ClientId)) throw new InvalidOperationException($"{Setting("ClientId")} is required.");
        if (!Uri.TryCreate(p.Issuer, UriKind.Absolute, out _)) throw new InvalidOperationException($"{Setting("Issuer")} must be an absolute URI.");
    }

    /// <summary>The account the provider's validated answer names, or why there is none.</summary>
    public static async Task<(AppUser? User, FederationRefusal? Refusal)> FindAccountAsync(
        FederationProvider provider, ClaimsPrincipal answer, SspfDbContext db, UserManager<AppUser> users, CancellationToken ct)
    {
        var value = answer.FindFirst(provider.ClaimType)?.Value?.Trim();
        if (string.IsNullOrEmpty(value)) return (null, FederationRefusal.MissingClaim);
        if (provider.MatchBy == FederationMatch.Email
            && string.Equals(answer.FindFirst(Claims.EmailVerified)?.Value, "false", StringComparison.OrdinalIgnoreCase))
            return (null, FederationRefusal.MissingClaim);

        // Only accounts whose unit serves the provider's municipality: one municipality's provider never signs in another's staff.
        var accounts = db.Users.Where(u => u.Unit!.Municipalities.Any(m => db.Municipalities.Any(k => k.Id == m.MunicipalityId && k.Code == provider.Municipality)));
        accounts = provider.MatchBy switch
        {
            FederationMatch.HsaId => accounts.Where(u => u.HsaId == value),
            FederationMatch.EmployeeNumber => accounts.Where(u => u.EmployeeNumber == value),
            _ => accounts.Where(u => u.NormalizedEmail == users.NormalizeEmail(value)),
        };
        var found = await accounts.Take(2).ToListAsync(ct);
        if (found.Count != 1) return (null, FederationRefusal.UnknownAccount);
        var user = found[0];
        if (user.IsDisabled) return (user, FederationRefusal.DisabledAccount);
        // The local lockout holds whatever the provider vouches for: it is the account's, not the password's.
        if (await users.IsLockedOutAsync(user)) return (user, FederationRefusal.LockedAccount);
        return (user, null);
    }

    public static string Purpose(string? provider, FederationRefusal? refusal, string? detail = null) =>
        $"provider={provider ?? "-"}" + (refusal is { } r ? "; " + r : "") + (detail is null ? "" : "; " + detail);
}
