using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>GET /api/cases/{id}/consents?page=&amp;pageSize=: the case's consents, oldest request first; 404 without the Basic category.</summary>
public static class ListConsents
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/consents", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Results<Ok<PagedList<ConsentView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ReadAsync(db, id, Viewer.From(principal), now, ct);
        if (@case is null) return Problems.NotFound();
        return TypedResults.Ok(CaseSection.Page(@case.Consents.OrderBy(k => k.RequestedAt).ThenBy(k => k.Id), paging, k => ConsentView.From(k, now)));
    }
}
