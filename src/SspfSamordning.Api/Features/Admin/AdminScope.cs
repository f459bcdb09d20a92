using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

/// <summary>An administrator manages the units and users of its own municipalities only; others do not exist for it.</summary>
internal static class AdminScope
{
    public static IQueryable<PartyUnit> UnitsOf(this SspfDbContext db, ClaimsPrincipal admin)
    {
        var municipalities = admin.Municipalities();
        return db.PartyUnits.Where(u => u.Municipalities.Any(m => municipalities.Contains(m.MunicipalityId)));
    }

    public static Task<AppUser?> FindManagedUserAsync(this SspfDbContext db, ClaimsPrincipal admin, Guid userId, CancellationToken ct)
    {
        var units = db.UnitsOf(admin).Select(u => u.Id);
        return db.Users.SingleOrDefaultAsync(u => u.Id == userId && units.Contains(u.UnitId), ct);
    }

    public static Dictionary<string, string[]> ValidateRoles(IReadOnlyList<string>? roles)
    {
        var errors = new Dictionary<string, string[]>();
        if (roles is null || roles.Count == 0)
            errors["roles"] = ["Ange minst en roll."];
        else if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
            errors["roles"] = [$"Okänd roll: {unknown}. Giltiga roller: {string.Join(", ", Roles.All)}."];
        return errors;
    }
}
