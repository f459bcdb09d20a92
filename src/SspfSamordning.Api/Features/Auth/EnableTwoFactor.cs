using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// POST /api/auth/2fa/enable: confirms the authenticator with a code and turns the second factor on. Answers
/// the single-use recovery codes, once. Every session ends: the user signs in again with a code.
/// </summary>
public static class EnableTwoFactor
{
    public const int RecoveryCodeCount = 10;

    public sealed record Request(string? CurrentPassword, string? Code);
    public sealed record Response(IReadOnlyList<string> RecoveryCodes);

    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/2fa/enable", Handle).RequireAuthorization(Policies.SignedIn);

    internal static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, UserManager<AppUser> users, SecondFactor secondFactor,
        SessionStore tokens, SspfDbContext db, IAuditContext audit, CancellationToken ct)
    {
        var user = (await users.FindByIdAsync(principal.UserId().ToString()))!;
        if (!await secondFactor.ReauthenticateAsync(user, request.CurrentPassword))
            return Problems.Validation("currentPassword", "Nuvarande lösenord stämmer inte.");
        if (user.TwoFactorEnabled)
            return Problems.Conflict("Tvåstegsverifiering är redan aktiverad", "Inget att aktivera.");
        if (string.IsNullOrWhiteSpace(request.Code) || !await secondFactor.AcceptCodeAsync(user, request.Code, ct))
            return Problems.Validation("code", "Koden stämmer inte. Gör om inställningen eller vänta på nästa kod.");

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount);
        await tokens.RevokeAllSessionsAsync(user.Id, "two-factor-enabled", ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.TwoFactorChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "Enabled"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new Response(codes!.ToList()));
    }
}
