using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// <c>--register-client CLIENT_ID [--redirect-uri URI]... [--confidential]</c>, or POST /api/admin/clients by the
/// Administratör: an OAuth client is registered (there is no self-registration). Without a redirect URI it is a system client: client credentials only, no API scope
/// (it reaches no case data), a generated secret. With redirect URIs it is a browser or native client: authorization code
/// with PKCE (S256) and refresh tokens, the API scope; public unless <c>--confidential</c>. With <c>--device</c> it is a
/// command-line tool: public, the device flow (approved by the person at /enhet) and refresh tokens, the API scope. A generated secret is printed
/// once; OpenIddict stores only its hash. Redirect URIs must be absolute HTTPS (plain HTTP only on loopback, RFC 8252),
/// without fragment or user info.
/// </summary>
public static class RegisterClient
{
    public const string Flag = "--register-client";
    public const string AuditEntity = "OAuthClient";

    public enum Outcome { Registered, InvalidClientId, InvalidRedirectUri, AlreadyRegistered }

    /// <param name="Kind">system, public or confidential.</param>
    /// <param name="Secret">The generated secret (system and confidential clients), to be shown once.</param>
    /// <param name="Refused">The refused redirect URI and why (<see cref="Outcome.InvalidRedirectUri"/>).</param>
    public sealed record Registration(Outcome Outcome, string Kind = "", string? Secret = null, string? Refused = null);

    public sealed record Request(string? ClientId, IReadOnlyList<string>? RedirectUris, bool Confidential, bool Device = false);
    public sealed record Response(string ClientId, string Kind, string? ClientSecret);

    /// <summary>POST /api/admin/clients: the Administratör registers a client, with the same rules as <see cref="Flag"/>.</summary>
    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPost("/clients", Handle).RequireAuthorization(Policies.Admin);

    private static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, IServiceProvider services, CancellationToken ct)
    {
        var registration = await RegisterAsync(services, request.ClientId, request.RedirectUris ?? [], request.Confidential, ct, request.Device);
        return registration.Outcome switch
        {
            Outcome.InvalidClientId => Problems.Validation("clientId", "Ange ett klient-id (högst 100 tecken, utan inledande --)."),
            Outcome.InvalidRedirectUri => Problems.Validation("redirectUris", RedirectUriRefusal),
            Outcome.AlreadyRegistered => Problems.Conflict("Klienten finns redan", "Det finns redan en klient med det klient-id:t."),
            _ => TypedResults.Created($"/api/admin/clients/{Uri.EscapeDataString(request.ClientId!)}",
                new Response(request.ClientId!, registration.Kind, registration.Secret)),
        };
    }

    /// <returns>The process exit code: 0, or 2 with one line on <paramref name="error"/>.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var clientId = args.SkipWhile(a => a != Flag).Skip(1).FirstOrDefault();
        var redirects = new List<string>();
        for (var i = 0; i < args.Length - 1; i++)
            if (args[i] == "--redirect-uri") redirects.Add(args[i + 1]);
        await using var scope = services.CreateAsyncScope();
        var registration = await RegisterAsync(scope.ServiceProvider, clientId, redirects, args.Contains("--confidential"), ct, args.Contains("--device"));
        switch (registration.Outcome)
        {
            case Outcome.InvalidClientId: return Fail(error, $"Usage: {Flag} CLIENT_ID [--redirect-uri URI]... [--confidential] | {Flag} CLIENT_ID --device");
            case Outcome.InvalidRedirectUri: return Fail(error, $"Redirect URI {registration.Refused}.");
            case Outcome.AlreadyRegistered: return Fail(error, $"A client '{clientId}' is already registered.");
        }
        output.WriteLine($"Registered {registration.Kind} client '{clientId}'.");
        if (registration.Secret is not null) output.WriteLine($"Client secret (shown once, stored only as a hash): {registration.Secret}");
        return 0;
    }

    /// <summary>
    /// The one registration of both ways in (the command and the admin endpoint): checks, creates the client (OpenIddict
    /// hashes the secret) and logs <see cref="AuditAction.ClientRegistered"/> (the client id; never the secret).
    /// </summary>
    public static async Task<Registration> RegisterAsync(IServiceProvider services, string? clientId, IReadOnlyList<string> redirectUris,
        bool confidential, CancellationToken ct, bool device = false)
    {
        if (string.IsNullOrWhiteSpace(clientId) || clientId.StartsWith("--", StringComparison.Ordinal) || clientId.Length > 100)
            return new(Outcome.InvalidClientId);
        var redirects = new List<Uri>();
        foreach (var value in redirectUris)
        {
            if (RedirectUriProblem(value) is { } problem) return new(Outcome.InvalidRedirectUri, Refused: $"'{value}' refused: {problem}");
            redirects.Add(new Uri(value));
        }

        if (device && redirects.Count > 0) return new(Outcome.InvalidRedirectUri, Refused: "refused: a device client has no redirect URI");

        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, ct) is not null) return new(Outcome.AlreadyRegistered);

        var system = redirects.Count == 0 && !device;
        var secret = system || (confidential && !device) ? System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) : null;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = secret is null ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = clientId,
        };
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.Revocation]);
        if (system)
            descriptor.Permissions.UnionWith([Permissions.GrantTypes.ClientCredentials, Permissions.Endpoints.Introspection]);
        else if (device)
            // A command-line tool: public (it cannot keep a secret), the device flow and refresh tokens, the API scope.
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.DeviceAuthorization, Permissions.GrantTypes.DeviceCode, Permissions.GrantTypes.RefreshToken,
                Permissions.Prefixes.Scope + OpenIdServer.ApiScope]);
        else
        {
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + OpenIdServer.ApiScope]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(redirects);
        }
        var kind = system ? "system" : device ? "device" : secret is null ? "public" : "confidential";
        var audit = services.GetRequiredService<IAuditContext>();
        await services.GetRequiredService<SspfDbContext>().ChangeClientAsync(
            async () => await applications.CreateAsync(descriptor, ct), // hashes the secret
            audit.NewEvent(AuditAction.ClientRegistered, entityType: AuditEntity, purpose: $"{kind} client {clientId}"), ct);
        return new(Outcome.Registered, kind, secret);
    }

    /// <summary>The Administratör's answer to a refused redirect URI (registration and change).</summary>
    public const string RedirectUriRefusal =
        "Omdirigeringsadressen godtas inte: endast https, eller http på en loopback-adress (127.0.0.1, [::1]), utan fragment och användaruppgifter.";

    /// <summary>Why a redirect URI is refused, or null when it is acceptable.</summary>
    public static string? RedirectUriProblem(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) return "not an absolute URI";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "a fragment is not allowed";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "user info is not allowed";
        if (uri.Scheme == Uri.UriSchemeHttps) return null;
        if (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && uri.Host != "localhost") return null;
        return "only https, or http on a loopback address (127.0.0.1, [::1])";
    }

    private static int Fail(TextWriter error, string line)
    {
        error.WriteLine(line);
        return 2;
    }
}
