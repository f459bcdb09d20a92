using System.Security.Cryptography;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// <c>--register-client CLIENT_ID [--redirect-uri URI]... [--confidential]</c>: the operator registers an OAuth client
/// (there is no self-registration). Without a redirect URI it is a system client: client credentials only, no API scope
/// (it reaches no case data), a generated secret. With redirect URIs it is a browser or native client: authorization code
/// with PKCE (S256) and refresh tokens, the API scope; public unless <c>--confidential</c>. A generated secret is printed
/// once; OpenIddict stores only its hash. Redirect URIs must be absolute HTTPS (plain HTTP only on loopback, RFC 8252),
/// without fragment or user info.
/// </summary>
public static class RegisterClient
{
    public const string Flag = "--register-client";

    /// <returns>The process exit code: 0, or 2 with one line on <paramref name="error"/>.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var clientId = args.SkipWhile(a => a != Flag).Skip(1).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(clientId) || clientId.StartsWith("--", StringComparison.Ordinal) || clientId.Length > 100)
            return Fail(error, $"Usage: {Flag} CLIENT_ID [--redirect-uri URI]... [--confidential]");
        var redirects = new List<Uri>();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] != "--redirect-uri") continue;
            if (RedirectUriProblem(args[i + 1]) is { } problem) return Fail(error, $"Redirect URI '{args[i + 1]}' refused: {problem}.");
            redirects.Add(new Uri(args[i + 1]));
        }

        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, ct) is not null) return Fail(error, $"A client '{clientId}' is already registered.");

        var system = redirects.Count == 0;
        var secret = system || args.Contains("--confidential") ? System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) : null;
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
        else
        {
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + OpenIdServer.ApiScope]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(redirects);
        }
        await applications.CreateAsync(descriptor, ct); // hashes the secret
        output.WriteLine($"Registered {(system ? "system" : secret is null ? "public" : "confidential")} client '{clientId}'.");
        if (secret is not null) output.WriteLine($"Client secret (shown once, stored only as a hash): {secret}");
        return 0;
    }

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
