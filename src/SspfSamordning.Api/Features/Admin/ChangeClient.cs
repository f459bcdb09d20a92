using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// PATCH /api/admin/clients/{clientId}: the Administratör changes a registered client's display name, redirect URIs or
/// scopes (a field left out stays as it is). Redirect URIs follow <see cref="RegisterClient"/>'s rules, and a browser or
/// native client keeps at least one; a system or device client has none, and a system client never gets the API scope (it reaches no case data).
/// When the scopes change, every token the client holds is revoked: nothing keeps a scope it no longer has.
/// Logged as <see cref="AuditAction.ClientChanged"/> (what changed, never a value typed).
/// </summary>
public static class ChangeClient
{
    public const int DisplayNameMaxLength = 100;

    public sealed record Request(string? DisplayName, IReadOnlyList<string>? RedirectUris, IReadOnlyList<string>? Scopes);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPatch("/clients/{clientId}", Handle).RequireAuthorization(Policies.Admin);

    private static async Task<Results<Ok<ListClients.ClientView>, ValidationProblem, ProblemHttpResult>> Handle(
        string clientId, Request request, SspfDbContext db, IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens,
        IAuditContext audit, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null) return Problems.NotFound();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        var system = descriptor.Permissions.Contains(Permissions.GrantTypes.ClientCredentials);
        var device = descriptor.Permissions.Contains(Permissions.GrantTypes.DeviceCode);
        var changed = new List<string>();

        if (request.DisplayName is { } name)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > DisplayNameMaxLength)
                return Problems.Validation("displayName", $"Ange ett visningsnamn (högst {DisplayNameMaxLength} tecken).");
            descriptor.DisplayName = name.Trim();
            changed.Add("display-name");
        }
        if (request.RedirectUris is { } uris)
        {
            if ((system || device) && uris.Count > 0)
                return Problems.Validation("redirectUris", "En system- eller enhetsklient har inga omdirigeringsadresser.");
            if (!system && !device && uris.Count == 0)
                return Problems.Validation("redirectUris", "En webb- eller appklient behöver minst en omdirigeringsadress.");
            if (uris.Any(u => RegisterClient.RedirectUriProblem(u) is not null))
                return Problems.Validation("redirectUris", RegisterClient.RedirectUriRefusal);
            descriptor.RedirectUris.Clear();
            descriptor.RedirectUris.UnionWith(uris.Select(u => new Uri(u)));
            changed.Add("redirect-uris");
        }
        var scopesChanged = false;
        if (request.Scopes is { } scopes)
        {
            if (scopes.Any(s => s != OpenIdServer.ApiScope))
                return Problems.Validation("scopes", $"Okänt omfång. Det enda omfång som kan ges är {OpenIdServer.ApiScope}.");
            if (system && scopes.Count > 0)
                return Problems.Validation("scopes", "En systemklient får inte åtkomst till ärendedata.");
            var wanted = scopes.Select(s => Permissions.Prefixes.Scope + s).ToHashSet();
            var current = descriptor.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).ToHashSet();
            scopesChanged = !wanted.SetEquals(current);
            descriptor.Permissions.ExceptWith(current);
            descriptor.Permissions.UnionWith(wanted);
            changed.Add("scopes");
        }
        if (changed.Count == 0) return Problems.Validation("body", "Ange något att ändra: displayName, redirectUris eller scopes.");

        await db.ChangeClientAsync(async () =>
        {
            await applications.UpdateAsync(application, descriptor, ct);
            if (scopesChanged) await tokens.RevokeByApplicationIdAsync((await applications.GetIdAsync(application, ct))!, ct);
        }, audit.NewEvent(AuditAction.ClientChanged, entityType: RegisterClient.AuditEntity,
            purpose: Purpose($"changed client {clientId}: {string.Join(", ", changed)}{(scopesChanged ? "; tokens revoked" : "")}")), ct);
        return TypedResults.Ok(await ListClients.ViewAsync(applications, application, ct));
    }

    /// <summary>The access log's purpose column holds 256 characters.</summary>
    public static string Purpose(string text) => text[..Math.Min(text.Length, 256)];
}
