using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// POST /api/auth/password: needs the current password; ends every session of the user. The one thing (with logout) a
/// session may do while its password is still the one an administrator chose.
/// </summary>
public static class ChangePassword
{
    public sealed record Request(string? CurrentPassword, string? NewPassword);

    public static void Map(RouteGroupBuilder auth) =>
        auth.MapPost("/password", Handle).RequireAuthorization(Policies.AnySession);

    internal static async Task<Results<NoContent, ValidationProblem>> Handle(
        Request request, ClaimsPrincipal principal, UserManager<AppUser> users, SecondFactor secondFactor,
        SessionStore tokens, SspfDbContext db, IAuditContext audit, CancellationToken ct)
    {
        var user = (await users.FindByIdAsync(principal.UserId().ToString()))!;
        if (!await secondFactor.ReauthenticateAsync(user, request.CurrentPassword))
            return Problems.Validation("currentPassword", "Nuvarande lösenord stämmer inte.");
        if (string.IsNullOrEmpty(request.NewPassword))
            return Problems.Validation("newPassword", "Ange ett nytt lösenord.");
        // Otherwise an administrator-chosen password could be "changed" to itself and stay known to the administrator.
        if (request.NewPassword == request.CurrentPassword)
            return Problems.Validation("newPassword", "Det nya lösenordet måste skilja sig från det nuvarande.");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        user.MustChangePassword = false; // saved by ChangePasswordAsync, with the new hash
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword);
        if (!result.Succeeded)
            return Problems.Validation(new Dictionary<string, string[]> { ["newPassword"] = result.Errors.Select(e => e.Description).ToArray() });
        await tokens.RevokeAllSessionsAsync(user.Id, "password-changed", ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.PasswordChanged, entityType: AuditEntities.User, entityId: user.Id));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
