using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Me;

/// <summary>GET /api/me: who the caller is, as the server sees it on this request.</summary>
public static class GetMe
{
    public sealed record NamedRef(Guid Id, string Name);
    public sealed record Response(
        Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, string Party, NamedRef Unit,
        IReadOnlyList<NamedRef> Municipalities, bool TwoFactorEnabled, bool MultiFactor);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/me", Handle).RequireAuthorization(Policies.SignedIn);

    /// <summary>The caller's own municipalities by name (what a page's choice of municipality shows).</summary>
    public static Task<List<NamedRef>> MunicipalitiesOfAsync(ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct)
    {
        var municipalityIds = principal.Municipalities();
        return db.Municipalities.AsNoTracking().Where(m => municipalityIds.Contains(m.Id))
            .OrderBy(m => m.Name).Select(m => new NamedRef(m.Id, m.Name)).ToListAsync(ct);
    }

    private static async Task<Ok<Response>> Handle(ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct)
    {
        var me = await db.Users.AsNoTracking().Where(u => u.Id == principal.UserId())
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.TwoFactorEnabled, Unit = new NamedRef(u.Unit!.Id, u.Unit.Name) })
            .SingleAsync(ct);
        var municipalities = await MunicipalitiesOfAsync(principal, db, ct);
        return TypedResults.Ok(new Response(
            me.Id, me.Email!, me.DisplayName,
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList(),
            principal.PartyOf().ToString(), me.Unit, municipalities, me.TwoFactorEnabled, principal.IsMultiFactor()));
    }
}
