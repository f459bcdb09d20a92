using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// POST /api/admin/users: the only way an account comes to exist (there is no self-registration). The account starts
/// without roles: the roles asked for are a pending <see cref="RoleGrant"/> that a second administrator approves
/// (otherwise one administrator could give an account it knows the password of case access).
/// </summary>
public static class CreateUser
{
    public sealed record Request(string? Email, string? DisplayName, Guid? UnitId, IReadOnlyList<string>? Roles, string? InitialPassword);
    /// <summary>The length of Identity's e-mail and user-name columns.</summary>
    public const int MaxEmailLength = 256;
    /// <param name="Roles">The roles the account holds now: none until <paramref name="PendingRoleGrant"/> is approved.</param>
    public sealed record Response(Guid Id, string Email, string DisplayName, Guid UnitId, IReadOnlyList<string> Roles, RoleGrant.View PendingRoleGrant);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapPost("/users", Handle).RequireAuthorization(Policies.Admin);

    internal static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, TimeProvider time, CancellationToken ct)
    {
        var errors = AdminScope.ValidateRoles(request.Roles);
        // The column holds 256 characters (Identity's default): a longer address was a 500 from the database.
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > MaxEmailLength || !MailAddress.TryCreate(request.Email, out _))
            errors["email"] = ["Ange en giltig e-postadress."];
        if (string.IsNullOrWhiteSpace(request.DisplayName) || DomainText.Problem(request.DisplayName, "displayName", 200, multiline: false) is not null)
            errors["displayName"] = ["Ange ett namn (högst 200 tecken, inga styrtecken)."];
        if (request.UnitId is not { } unitId || !await db.UnitsOf(principal).AnyAsync(u => u.Id == unitId, ct))
            errors["unitId"] = ["Ange en enhet i dina kommuner."];
        if (string.IsNullOrEmpty(request.InitialPassword))
            errors["initialPassword"] = ["Ange ett startlösenord."];
        if (errors.Count > 0) return Problems.Validation(errors);

        if (await users.FindByEmailAsync(request.Email!) is not null)
            return Problems.Conflict("Användaren finns redan", "Det finns redan ett konto med den e-postadressen.");

        var user = new AppUser { UserName = request.Email, Email = request.Email, EmailConfirmed = true, DisplayName = request.DisplayName!, UnitId = request.UnitId!.Value };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, request.InitialPassword!);
        if (!created.Succeeded)
            // Each message by the field it is about: the address (Identity's user name is the e-mail) or the password.
            return Problems.Validation(created.Errors
                .GroupBy(e => SwedishIdentityErrors.AccountNameCodes.Contains(e.Code) ? "email" : "initialPassword")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: "Created"));
        var grant = await RoleGrant.RequestAsync(db, audit, principal, user.Id, request.Roles!, time.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/admin/users/{user.Id}", new Response(user.Id, user.Email!, user.DisplayName, user.UnitId, [], grant.ToView(user)));
    }
}
