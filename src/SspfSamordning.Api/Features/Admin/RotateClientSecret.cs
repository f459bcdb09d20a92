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
/// POST /api/admin/clients/{clientId}/secret: a new secret for a system or confidential client, shown once (OpenIddict
/// stores only its hash). The old secret stops working at once and every token the client holds is revoked — a
/// rotation is what follows a leak; the new secret, the revocation and the log entry commit together. A public client has no secret (409). Logged as <see cref="AuditAction.ClientChanged"/>,
/// never the secret.
/// </summary>
public static class RotateClientSecret
{
    public sealed record Response(string ClientId, string ClientSecret);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPost("/clients/{clientId}/secret", Handle).RequireAuthorization(Policies.Admin);

    private static async Task<Results<Ok<Response>, ProblemHttpResult>> Handle(
        string clientId, SspfDbContext db, IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens, IAuditContext audit,
        CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null) return Problems.NotFound();
        if (!await applications.HasClientTypeAsync(application, ClientTypes.Confidential, ct))
            return Problems.Conflict("Klienten har ingen hemlighet", "En publik klient (webbläsare eller app) har ingen klienthemlighet att byta.");
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await db.ChangeClientAsync(async () =>
        {
            await applications.UpdateAsync(application, secret, ct); // hashes the secret
            await tokens.RevokeByApplicationIdAsync((await applications.GetIdAsync(application, ct))!, ct);
        }, audit.NewEvent(AuditAction.ClientChanged, entityType: RegisterClient.AuditEntity,
            purpose: ChangeClient.Purpose($"secret rotated for client {clientId}; tokens revoked")), ct);
        return TypedResults.Ok(new Response(clientId, secret));
    }
}
