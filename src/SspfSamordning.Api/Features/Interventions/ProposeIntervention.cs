using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Interventions;

/// <summary>
/// POST /api/cases/{id}/interventions: the coordinator proposes an insats for an Active case, owned by one party and
/// a responsible case member. A socialtjänst insats may be bistånd; only socialtjänst records its decision reference,
/// afterwards (PUT …/decision-reference): a proposal that carries one is refused with 400 and changes nothing (decision 6).
/// </summary>
public static class ProposeIntervention
{
    public sealed record Request(
        InterventionType? Type, Party? OwnerParty, Guid? ResponsibleUserId, string? Goal,
        DateOnly? StartDate, DateOnly? PlannedEndDate, bool? IsBistand, string? DecisionReference);

    public static void Map(RouteGroupBuilder interventions) =>
        interventions.MapPost("/", Handle).RequireAuthorization(Policies.Coordinator);

    internal static async Task<Results<Created<InterventionView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Type is null) errors["type"] = [$"Ange typ av insats: {string.Join(", ", Enum.GetNames<InterventionType>())}."];
        if (request.OwnerParty is null) errors["ownerParty"] = ["Ange vilken aktör som äger insatsen."];
        if (request.ResponsibleUserId is null) errors["responsibleUserId"] = ["Ange den ansvariga personen."];
        if (string.IsNullOrWhiteSpace(request.Goal)) errors["goal"] = ["Ange målet för insatsen."];
        if (request.DecisionReference is not null)
            errors["decisionReference"] = ["Endast socialtjänsten anger beslutsreferens för bistånd. Föreslå insatsen utan den; socialtjänsten anger den sedan."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();

        var intervention = @case.ProposeIntervention(
            request.Type!.Value, request.OwnerParty!.Value, request.ResponsibleUserId!.Value, request.Goal!,
            request.StartDate, request.PlannedEndDate, request.IsBistand ?? false, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/cases/{id}/interventions/{intervention.Id}", InterventionView.From(intervention));
    }
}
