using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Interventions;

/// <summary>GET /api/cases/{id}/interventions: the interventions of the categories shared with the caller, oldest first, paged.</summary>
public static class ListInterventions
{
    public static void Map(RouteGroupBuilder interventions) =>
        interventions.MapGet("/", Handle).RequireAuthorization(Policies.CaseReader);

    internal static Task<Results<Ok<PagedList<InterventionView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page = null, int? pageSize = null) =>
        CaseSection.ListAsync<InterventionView>(id, principal, db, time, page, pageSize, InterventionView.Visible, ct);
}
