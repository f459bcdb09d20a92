using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>POST /api/cases/search-by-personnummer: the personnummer travels in the body, never in a URL. Only cases the caller may see.</summary>
public static class SearchByPersonnummer
{
    public sealed record Request(string? Personnummer);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/search-by-personnummer", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Ok<PagedList<CaseSummary>>> Handle(
        Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var personnummer = Personnummer.Parse(request.Personnummer, SwedishCalendar.DateOf(now)).Value;
        var rows = await db.Cases.VisibleTo(viewer, now).AsNoTracking()
            .Where(c => c.Youth.Personnummer == personnummer)
            .OrderByDescending(c => c.OpenedAt).Take(Paging.MaxPageSize)
            .Select(c => new { c.Id, c.CaseNumber, c.State, c.MunicipalityId, c.SignalCategory, c.OpenedAt, c.ClosedAt, c.Youth })
            .ToListAsync(ct);
        var items = rows.Select(c => new CaseSummary(c.Id, c.CaseNumber, c.State, c.MunicipalityId, c.SignalCategory, c.OpenedAt, c.ClosedAt,
            YouthView.From(c.Youth, viewer))).ToList();
        return TypedResults.Ok(new PagedList<CaseSummary>(items, 1, Paging.MaxPageSize, items.Count));
    }
}
