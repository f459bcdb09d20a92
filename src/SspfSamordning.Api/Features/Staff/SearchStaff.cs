using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Staff;

/// <summary>
/// GET /api/staff?search=&amp;party=&amp;page=&amp;pageSize=: the staff directory for case work — the people who do case
/// work (Samordnare, Socialsekreterare, Polis, Skola, Fritid) in units serving one of the caller's municipalities, with
/// name, party and unit, so that a coordinator can add a member, invite to a meeting or name a responsible person.
/// Disabled accounts and the roles that never see case content (Administratör, Granskare, Analytiker) are not listed;
/// no e-mail, phone or roles. <c>search</c> matches a part of the name (case-insensitive for A–Z).
/// </summary>
public static class SearchStaff
{
    public const int MaxSearchLength = 100;

    public sealed record StaffView(Guid Id, string DisplayName, Party Party, UnitRef Unit);

    /// <summary>The unit a person belongs to.</summary>
    public sealed record UnitRef(Guid Id, string Name);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/staff", Handle).RequireAuthorization(Policies.CaseReader);

    public static async Task<Results<Ok<PagedList<StaffView>>, ValidationProblem>> Handle(
        ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct, string? search, Party? party, int? page, int? pageSize)
    {
        var term = search?.Trim();
        if (term is { Length: > MaxSearchLength })
            return Problems.Validation("search", $"Sökordet får vara högst {MaxSearchLength} tecken.");
        // A control character (a NUL, which PostgreSQL refuses in a parameter: that was a 500).
        if (term is not null && DomainText.Problem(term, "search", MaxSearchLength, multiline: false) is not null)
            return Problems.Validation("search", "Sökordet får inte innehålla styrtecken.");
        var paging = Paging.From(page, pageSize);

        var municipalities = principal.Municipalities();
        string[] caseRoles = [.. Viewer.CaseRoles];
        var caseRoleIds = db.Roles.Where(r => caseRoles.Contains(r.Name!)).Select(r => r.Id);
        var people = db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled
                && u.Unit!.Municipalities.Any(m => municipalities.Contains(m.MunicipalityId))
                && db.UserRoles.Any(r => r.UserId == u.Id && caseRoleIds.Contains(r.RoleId)));
        if (party is { } p) people = people.Where(u => u.Unit!.Party == p);
        if (!string.IsNullOrEmpty(term))
        {
            var lowered = term.ToLowerInvariant();
            people = people.Where(u => u.DisplayName.ToLower().Contains(lowered));
        }
        var total = await people.CountAsync(ct);
        var items = await people.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Skip(paging.Skip).Take(paging.PageSize)
            .Select(u => new StaffView(u.Id, u.DisplayName, u.Unit!.Party, new UnitRef(u.Unit.Id, u.Unit.Name)))
            .ToListAsync(ct);
        return TypedResults.Ok(new PagedList<StaffView>(items, paging.Page, paging.PageSize, total));
    }
}
