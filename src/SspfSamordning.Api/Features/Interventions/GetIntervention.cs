using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Interventions;

/// <summary>GET /api/cases/{id}/interventions/{interventionId}: 404 unless its category is shared with the caller.</summary>
public static class GetIntervention
{
    public static void Map(RouteGroupBuilder interventions) =>
        interventions.MapGet("/{interventionId:guid}", Handle).RequireAuthorization(Policies.CaseReader);

    internal static Task<Results<Ok<InterventionView>, ProblemHttpResult>> Handle(
        Guid id, Guid interventionId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct) =>
        CaseSection.GetAsync<InterventionView>(id, interventionId, principal, db, time, InterventionView.Visible, v => v.Id, ct);
}
