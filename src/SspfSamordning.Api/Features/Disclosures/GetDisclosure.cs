using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Disclosures;

/// <summary>GET /api/cases/{id}/disclosures/{disclosureId}: socialtjänst members and the receiving police member; 404 for anyone else.</summary>
public static class GetDisclosure
{
    public static void Map(RouteGroupBuilder disclosures) =>
        disclosures.MapGet("/{disclosureId:guid}", Handle).RequireAuthorization(Policies.CaseReader);

    private static Task<Results<Ok<DisclosureView>, ProblemHttpResult>> Handle(
        Guid id, Guid disclosureId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct) =>
        CaseSection.GetAsync<DisclosureView>(id, disclosureId, principal, db, time, DisclosureView.Visible, v => v.Id, ct);
}
