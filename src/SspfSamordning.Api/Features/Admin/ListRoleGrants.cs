using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// GET /api/admin/role-grants?page=&amp;pageSize=: the pending four-eyes role changes of the accounts this administrator
/// manages (its own requests included, marked by <c>requestedByUserId</c>), oldest first. Account data only, no case data.
/// </summary>
public static class ListRoleGrants
{
    public static void Map(RouteGroupBuilder admin) =>
        admin.MapGet("/role-grants", Handle).RequireAuthorization(Policies.Admin);

    internal static async Task<Ok<PagedList<RoleGrant.View>>> Handle(
        int? page, int? pageSize, ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var units = db.UnitsOf(principal).Select(u => u.Id);
        var pending = from g in db.Set<RoleGrant>()
                      join u in db.Users on g.UserId equals u.Id
                      where g.State == RoleGrantState.Pending && units.Contains(u.UnitId)
                      select new { Grant = g, User = u };
        var total = await pending.CountAsync(ct);
        var rows = await pending.OrderBy(r => r.Grant.Id).Skip(paging.Skip).Take(paging.PageSize).AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(new PagedList<RoleGrant.View>(rows.Select(r => r.Grant.ToView(r.User)).ToList(), paging.Page, paging.PageSize, total));
    }
}
