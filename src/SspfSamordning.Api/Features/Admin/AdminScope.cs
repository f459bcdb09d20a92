using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>An administrator manages the units and users of its own municipalities only; others do not exist for it.</summary>
internal static class AdminScope
{
    /// <summary>
    /// Roles that never read case content (domain.md, access rule 2) and oversee each other's work: each stands alone,
    /// never combined with a case-reading role (<see cref="Viewer.CaseRoles"/>) nor with another of these.
    /// </summary>
    public static readonly IReadOnlySet<string> OversightRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        Roles.Administrator, Roles.Granskare, Roles.Analytiker,
    };

    /// <summary>
    /// The units whose municipalities ALL lie within the administrator's: a user of a unit sees every municipality the
    /// unit serves, so a unit shared with a municipality the administrator does not serve is out of reach (issue 23).
    /// </summary>
    public static IQueryable<PartyUnit> UnitsOf(this SspfDbContext db, ClaimsPrincipal admin)
    {
        var municipalities = admin.Municipalities();
        return db.PartyUnits.Where(u => u.Municipalities.Any() && u.Municipalities.All(m => municipalities.Contains(m.MunicipalityId)));
    }

    public static Task<AppUser?> FindManagedUserAsync(this SspfDbContext db, ClaimsPrincipal admin, Guid userId, CancellationToken ct)
    {
        var units = db.UnitsOf(admin).Select(u => u.Id);
        return db.Users.SingleOrDefaultAsync(u => u.Id == userId && units.Contains(u.UnitId), ct);
    }

    /// <summary>Known roles, at least one, and separation of duties: an oversight role is the account's only role.</summary>
    public static Dictionary<string, string[]> ValidateRoles(IReadOnlyList<string>? roles)
    {
        var errors = new Dictionary<string, string[]>();
        if (roles is null || roles.Count == 0)
            errors["roles"] = ["Ange minst en roll."];
        else if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
            errors["roles"] = [$"Okänd roll: {unknown}. Giltiga roller: {string.Join(", ", Roles.All)}."];
        else if (roles.Distinct().Count() > 1 && roles.FirstOrDefault(OversightRoles.Contains) is { } oversight)
            errors["roles"] = [$"Rollen {oversight} kan inte kombineras med någon annan roll: Administratör, Granskare och Analytiker " +
                "ser aldrig ärendeinnehåll och granskar varandras arbete."];
        return errors;
    }

    /// <summary>Separation of duties: nobody changes their own roles, account or second factor, not even an administrator.</summary>
    public static ProblemHttpResult? RefuseSelf(ClaimsPrincipal admin, Guid userId, string title) =>
        userId == admin.UserId() ? Problems.Conflict(title, "Be en annan administratör.") : null;

    /// <summary>
    /// An administrator's change to another person's account that ends the account's sessions (disable, second-factor
    /// reset): the account must be one the caller manages (404 otherwise) and not the caller's own (409); the change,
    /// the end of the sessions and the access event commit together or not at all.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeAccountAsync(
        this SspfDbContext db, ClaimsPrincipal admin, Guid userId, string selfRefusal, Func<AppUser, Task> change,
        SessionStore tokens, string sessionEndReason, IAuditContext audit, string purpose, CancellationToken ct)
    {
        if (await db.FindManagedUserAsync(admin, userId, ct) is not { } user) return Problems.NotFound();
        if (RefuseSelf(admin, userId, selfRefusal) is { } self) return self;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await change(user);
        await tokens.RevokeAllSessionsAsync(user.Id, sessionEndReason, ct);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: user.Id, purpose: purpose));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A change to an OAuth client (registration, secret rotation, change, removal): OpenIddict's store works on this
    /// request's context, so the change, the revocation of the client's tokens and the access event commit together or
    /// not at all — a rotation whose revocation or log entry failed leaves the old secret and its tokens as they were,
    /// and the administrator is told it failed.
    /// </summary>
    public static async Task ChangeClientAsync(this SspfDbContext db, Func<Task> change, AccessEvent logged, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await change();
        db.AccessEvents.Add(logged);
        await db.SaveChangesAndCommitAsync(ct);
    }

    /// <summary>Replaces the user's roles; the user's sessions end at once. Call inside the caller's transaction.</summary>
    public static async Task ApplyRolesAsync(UserManager<AppUser> users, SessionStore tokens, AppUser user, IReadOnlyCollection<string> wanted, CancellationToken ct)
    {
        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(wanted)));
        Check(await users.AddToRolesAsync(user, wanted.Except(current)));
        Check(await users.UpdateSecurityStampAsync(user));
        await tokens.RevokeAllSessionsAsync(user.Id, "roles-changed", ct);
    }

    /// <summary>
    /// Throws when an Identity call failed. Identity turns a lost race on the account's concurrency stamp into a
    /// "ConcurrencyFailure" result; it is thrown as the concurrency exception it was, so another administrator's
    /// simultaneous change answers 409 and this change's transaction rolls back.
    /// </summary>
    public static void Check(IdentityResult result)
    {
        if (result.Succeeded) return;
        var codes = string.Join("; ", result.Errors.Select(e => e.Code));
        if (result.Errors.Any(e => e.Code == ConcurrencyFailure))
            throw new DbUpdateConcurrencyException("Account update lost to a concurrent change: " + codes);
        throw new InvalidOperationException("Account update failed: " + codes);
    }

    private static readonly string ConcurrencyFailure = new IdentityErrorDescriber().ConcurrencyFailure().Code;
}
