using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// POST /api/auth/2fa/setup: a new authenticator key for a user who has no second factor yet. Needs the
/// current password. The key takes effect only when <see cref="EnableTwoFactor"/> confirms a code from it.
/// </summary>
public static class SetUpTwoFactor
{
    public sealed record Request(string? CurrentPassword);
    public sealed record Response(string SharedKey, string AuthenticatorUri);

    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/2fa/setup", Handle).RequireAuthorization(Policies.SignedIn);

    internal static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, UserManager<AppUser> users, IUserStore<AppUser> store, SecondFactor secondFactor,
        SspfDbContext db, IAuditContext audit, CancellationToken ct)
    {
        var user = (await users.FindByIdAsync(principal.UserId().ToString()))!;
        if (!await secondFactor.ReauthenticateAsync(user, request.CurrentPassword))
            return Problems.Validation("currentPassword", "Nuvarande lösenord stämmer inte.");
        if (user.TwoFactorEnabled)
            return Problems.Conflict("Tvåstegsverifiering är redan aktiverad",
                "Kontakta en administratör för att byta autentiseringsapp.");
        // Set through the store: UserManager.ResetAuthenticatorKeyAsync would also renew the security stamp and so
        // end this very session, although the key means nothing until EnableTwoFactor confirms it.
        var key = users.GenerateNewAuthenticatorKey();
        await ((IUserAuthenticatorKeyStore<AppUser>)store).SetAuthenticatorKeyAsync(user, key, ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.TwoFactorChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "NewAuthenticatorKey"));
        await users.UpdateAsync(user); // one save: the key and its event
        var uri = $"otpauth://totp/SSPF%20Samordning:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer=SSPF%20Samordning&digits=6&period=30";
        return TypedResults.Ok(new Response(key, uri));
    }
}
