using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Interventions;

/// <summary>
/// PUT /api/cases/{id}/interventions/{interventionId}/decision-reference {decisionReference}: socialtjänst records the
/// bistånd decision that lets the insats be planned. Only while the insats is Proposed.
/// </summary>
public static class SetDecisionReference
{
    public sealed record Request(string? DecisionReference);

    public static void Map(RouteGroupBuilder interventions) =>
        interventions.MapPut("/{interventionId:guid}/decision-reference", Handle).RequireAuthorization(Policies.SocialServices);

    internal static async Task<Results<Ok<InterventionView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid interventionId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.DecisionReference))
            return Problems.Validation("decisionReference", "Ange referensen till biståndsbeslutet.");

        var viewer = Viewer.From(principal);
        var @case = await db.LoadForChangeAsync(id, viewer, time.GetUtcNow(), ct);
        if (@case is null) return Problems.NotFound();
        @case.SetInterventionDecisionReference(interventionId, request.DecisionReference, viewer.Party);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(InterventionView.From(@case.Interventions.Single(i => i.Id == interventionId)));
    }
}
