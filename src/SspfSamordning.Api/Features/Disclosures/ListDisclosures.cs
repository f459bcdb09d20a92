using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Disclosures;

/// <summary>
/// GET /api/cases/{id}/disclosures: for socialtjänst members every disclosure of the case, for a receiving police
/// member only those naming them; 404 for everyone else (the section does not exist for them).
/// </summary>
public static class ListDisclosures
{
    public static void Map(RouteGroupBuilder disclosures) =>
        disclosures.MapGet("/", Handle).RequireAuthorization(Policies.CaseReader);

    private static Task<Results<Ok<PagedList<DisclosureView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page = null, int? pageSize = null) =>
        CaseSection.ListAsync<DisclosureView>(id, principal, db, time, page, pageSize, DisclosureView.Visible, ct);
}
