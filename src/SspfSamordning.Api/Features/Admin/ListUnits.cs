using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>
/// GET /api/admin/units?page=&amp;pageSize=: the units this administrator may place accounts in (every municipality of the
/// unit is one of the administrator's, <see cref="AdminScope.UnitsOf"/>), by name: the ids <c>POST /api/admin/users</c> takes.
/// </summary>
public static class ListUnits
{
    public sealed record MunicipalityView(Guid Id, string Name, string Code);
    public sealed record UnitView(Guid Id, string Name, Party Party, IReadOnlyList<MunicipalityView> Municipalities);

    public static void Map(RouteGroupBuilder admin) =>
        admin.MapGet("/units", Handle).RequireAuthorization(Policies.Admin);

    internal static async Task<Ok<PagedList<UnitView>>> Handle(int? page, int? pageSize, ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var units = db.UnitsOf(principal);
        var total = await units.CountAsync(ct);
        var rows = await units.OrderBy(u => u.Name).ThenBy(u => u.Id).Skip(paging.Skip).Take(paging.PageSize)
            .Select(u => new { u.Id, u.Name, u.Party }).ToListAsync(ct);
        var ids = rows.Select(u => u.Id).ToList();
        var served = await (from link in db.Set<UnitMunicipality>()
                            join m in db.Municipalities on link.MunicipalityId equals m.Id
                            where ids.Contains(link.UnitId)
                            select new { link.UnitId, View = new MunicipalityView(m.Id, m.Name, m.Code) }).ToListAsync(ct);
        var items = rows.Select(u => new UnitView(u.Id, u.Name, u.Party,
            served.Where(s => s.UnitId == u.Id).Select(s => s.View).OrderBy(m => m.Name, StringComparer.Ordinal).ToList())).ToList();
        return TypedResults.Ok(new PagedList<UnitView>(items, paging.Page, paging.PageSize, total));
    }
}
