using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// GET /api/admin/users?page=&amp;pageSize= and GET /api/admin/users/{id}: the accounts this administrator manages
/// (<see cref="AdminScope.UnitsOf"/>; any other account answers 404, as for the changes), by e-mail address — the ids the
/// account changes take. Account data only (name, e-mail, unit, roles, disabled, second factor, the federation
/// identifiers HSA-id and employee number — <see cref="SetFederationIds"/>), never case data, so a
/// read is not an access event (as the unit and role-grant lists).
/// </summary>
public static class ListUsers
{
    public sealed record UserView(Guid Id, string Email, string DisplayName, Guid UnitId, string UnitName, IReadOnlyList<string> Roles,
        bool Disabled, bool TwoFactorEnabled, string? HsaId, string? EmployeeNumber);

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/users", List).RequireAuthorization(Policies.Admin);
        admin.MapGet("/users/{id:guid}", Get).RequireAuthorization(Policies.Admin);
    }

    internal static async Task<Ok<PagedList<UserView>>> List(int? page, int? pageSize, ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var units = db.UnitsOf(principal).Select(u => u.Id);
        var managed = db.Users.Where(u => units.Contains(u.UnitId));
        var total = await managed.CountAsync(ct);
        var rows = await managed.OrderBy(u => u.Email).ThenBy(u => u.Id).Skip(paging.Skip).Take(paging.PageSize).AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(new PagedList<UserView>(await ViewsAsync(db, rows, ct), paging.Page, paging.PageSize, total));
    }

    internal static async Task<Results<Ok<UserView>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct) =>
        await db.FindManagedUserAsync(principal, id, ct) is { } user
            ? TypedResults.Ok(await ViewAsync(db, user, ct))
            : Problems.NotFound();

    internal static async Task<UserView> ViewAsync(SspfDbContext db, AppUser user, CancellationToken ct) => (await ViewsAsync(db, [user], ct))[0];

    private static async Task<List<UserView>> ViewsAsync(SspfDbContext db, IReadOnlyList<AppUser> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var unitIds = users.Select(u => u.UnitId).Distinct().ToList();
        var roles = await (from link in db.UserRoles
                           join role in db.Roles on link.RoleId equals role.Id
                           where ids.Contains(link.UserId)
                           select new { link.UserId, role.Name }).ToListAsync(ct);
        var unitNames = await db.PartyUnits.Where(u => unitIds.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return users.Select(u => new UserView(u.Id, u.Email!, u.DisplayName, u.UnitId, unitNames.GetValueOrDefault(u.UnitId, ""),
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList(), u.IsDisabled, u.TwoFactorEnabled,
            u.HsaId, u.EmployeeNumber)).ToList();
    }
}
