using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// GET /api/admin/clients: the registered OAuth clients as the Administratör manages them — id, display name, kind
/// (system, device, public, confidential), redirect URIs and scopes. Never a secret (OpenIddict keeps only its hash). Client
/// data only, no personal data: not logged (policy refusals are).
/// </summary>
public static class ListClients
{
    public sealed record ClientView(string ClientId, string? DisplayName, string Kind, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> Scopes);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapGet("/clients", Handle).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Handle(IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        var clients = new List<ClientView>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, ct))
            clients.Add(await ViewAsync(applications, application, ct));
        return TypedResults.Ok(clients.OrderBy(c => c.ClientId, StringComparer.Ordinal).ToList());
    }

    /// <summary>What the Administratör sees of one client (shared by the change and rotation answers).</summary>
    public static async Task<ClientView> ViewAsync(IOpenIddictApplicationManager applications, object application, CancellationToken ct)
    {
        var permissions = await applications.GetPermissionsAsync(application, ct);
        return new ClientView(
            (await applications.GetClientIdAsync(application, ct))!,
            await applications.GetDisplayNameAsync(application, ct),
            KindOf(permissions, await applications.GetClientTypeAsync(application, ct)),
            (await applications.GetRedirectUrisAsync(application, ct)).Order(StringComparer.Ordinal).ToList(),
            permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                .Select(p => p[Permissions.Prefixes.Scope.Length..]).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>system (client credentials), device (command-line tool), public or confidential — as <see cref="RegisterClient"/> names them.</summary>
    public static string KindOf(IEnumerable<string> permissions, string? clientType) =>
        permissions.Contains(Permissions.GrantTypes.ClientCredentials) ? "system"
        : permissions.Contains(Permissions.GrantTypes.DeviceCode) ? "device"
        : clientType == ClientTypes.Confidential ? "confidential" : "public";
}
