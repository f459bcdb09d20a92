using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// DELETE /api/admin/clients/{clientId}: the client is removed together with its authorizations and tokens (OpenIddict's
/// store deletes them with it), so no token it was given works afterwards; people's sign-in sessions stay. Logged as
/// <see cref="AuditAction.ClientChanged"/>.
/// </summary>
public static class RemoveClient
{
    public static void Map(RouteGroupBuilder admin) =>
        admin.MapDelete("/clients/{clientId}", Handle).RequireAuthorization(Policies.Admin);

    private static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        string clientId, SspfDbContext db, IOpenIddictApplicationManager applications, IAuditContext audit, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null) return Problems.NotFound();
        await db.ChangeClientAsync(async () => await applications.DeleteAsync(application, ct),
            audit.NewEvent(AuditAction.ClientChanged, entityType: RegisterClient.AuditEntity, purpose: ChangeClient.Purpose($"removed client {clientId}")), ct);
        return TypedResults.NoContent();
    }
}
