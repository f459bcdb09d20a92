using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Offers OpenIddict's server handler to the authentication middleware's request-handling step only on the server's own
/// endpoints (<c>/connect/…</c>, <c>/.well-known/…</c>, the device page: every <c>*EndpointUris</c> of its options, so a
/// new endpoint is covered without a change here). ASP.NET Core asks every <see cref="IAuthenticationRequestHandler"/>
/// scheme on every request whether it handles it; for the server that meant building its handler and dispatching an
/// event that compares the address with each endpoint's on every API request (about 2 % of a case read's CPU,
/// bench/results/load.md, round five). On its endpoints nothing changes; elsewhere it answered "not mine" before too,
/// and the app uses the server's scheme only on those endpoints (ConnectToken, ConnectAuthorize, the device page).
/// Every other request-handling scheme is always offered — OpenIddict's client among them: a federated sign-in's
/// challenge on the app's own address needs the transaction its request step creates.
/// </summary>
public sealed class ProtocolRequestSchemes(
    IOptions<AuthenticationOptions> options, IHttpContextAccessor http, IOptions<OpenIddictServerOptions> server)
    : AuthenticationSchemeProvider(options)
{
    private readonly Lazy<PathString[]> protocolPaths = new(() => [.. EndpointPaths(server.Value)]);
    private Filtered? cached;

    private sealed record Filtered(IEnumerable<AuthenticationScheme> All, AuthenticationScheme[] Others);

    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        var all = await base.GetRequestHandlerSchemesAsync();
        if (http.HttpContext?.Request is not { } request || IsProtocolPath(request.Path)) return all;
        // The base returns the same collection until a scheme is added or removed: filter it once per change.
        var current = cached;
        if (current is null || !ReferenceEquals(current.All, all))
            cached = current = new Filtered(all, [.. all.Where(s => !IsOpenIddictServer(s.HandlerType))]);
        return current.Others;
    }

    /// <summary>Whether <paramref name="path"/> (below the path base, as OpenIddict's relative endpoint addresses are) is one of the server's endpoints or below one.</summary>
    private bool IsProtocolPath(PathString path) => protocolPaths.Value.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private static bool IsOpenIddictServer(Type handler) => handler.Namespace?.StartsWith("OpenIddict.Server", StringComparison.Ordinal) == true;

    /// <summary>Every endpoint address of OpenIddict's options: its <c>List&lt;Uri&gt; *EndpointUris</c> properties.</summary>
    private static IEnumerable<PathString> EndpointPaths(object options) =>
        options.GetType().GetProperties()
            .Where(p => p.Name.EndsWith("EndpointUris", StringComparison.Ordinal) && typeof(IEnumerable<Uri>).IsAssignableFrom(p.PropertyType))
            .SelectMany(p => (IEnumerable<Uri>?)p.GetValue(options) ?? [])
            .Select(uri => new PathString("/" + (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Trim('/')))
            .Where(p => p.Value != "/");
}
