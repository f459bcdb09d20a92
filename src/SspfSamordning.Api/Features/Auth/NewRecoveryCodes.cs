using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>POST /api/auth/2fa/recovery-codes: replaces every recovery code; needs the current password and a signed-in second factor.</summary>
public static class NewRecoveryCodes
{
    public sealed record Request(string? CurrentPassword);

    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/2fa/recovery-codes", Handle).RequireAuthorization(Policies.SignedIn);

    private static async Task<Results<Ok<EnableTwoFactor.Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, UserManager<AppUser> users, SecondFactor secondFactor, SspfDbContext db, IAuditContext audit)
    {
        var user = (await users.FindByIdAsync(principal.UserId().ToString()))!;
        if (!await secondFactor.ReauthenticateAsync(user, request.CurrentPassword))
            return Problems.Validation("currentPassword", "Nuvarande lösenord stämmer inte.");
        if (!user.TwoFactorEnabled || !principal.IsMultiFactor())
            return Problems.Conflict("Tvåstegsverifiering krävs", "Logga in med tvåstegsverifiering först.");
        // One save: the codes and their event (GenerateNewTwoFactorRecoveryCodesAsync saves the tracked user and the event).
        db.AccessEvents.Add(audit.NewEvent(AuditAction.TwoFactorChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "NewRecoveryCodes"));
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, EnableTwoFactor.RecoveryCodeCount);
        return TypedResults.Ok(new EnableTwoFactor.Response(codes!.ToList()));
    }
}
