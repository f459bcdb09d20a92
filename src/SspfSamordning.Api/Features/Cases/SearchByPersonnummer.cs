using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
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
        Request request, ClaimsPrincipal principal, SspfDbContext db, BlindIndex index, TimeProvider time, IAuditContext audit, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var personnummer = Personnummer.Parse(request.Personnummer, SwedishCalendar.DateOf(now)).Value;
        var matches = await db.VisibleCases(viewer, now).WithPersonnummerAsync(db, personnummer, index, ct);
        var items = matches.OrderByDescending(c => c.OpenedAt).Select(c => CaseSummary.From(c, viewer)).ToList();
        foreach (var c in matches) audit.Read(AuditAction.Search, c.Id);
        return TypedResults.Ok(new PagedList<CaseSummary>(items, 1, Paging.MaxPageSize, items.Count));
    }
}
