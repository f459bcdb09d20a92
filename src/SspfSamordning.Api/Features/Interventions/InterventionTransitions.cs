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
/// POST /api/cases/{id}/interventions/{interventionId}/transitions {trigger: Plan|Start|Complete|Cancel, outcome?, outcomeComment?, reason?}.
/// <c>outcomeComment</c> is named as in the view (it was <c>comment</c>).
/// The coordinator, or a case member of the owner party, moves the insats. Someone who may not see it gets 404;
/// someone who sees it but is of another party gets 403. A refused trigger is a 409 with the state and permitted triggers.
/// </summary>
public static class InterventionTransitions
{
    public sealed record Request(InterventionTrigger? Trigger, InterventionOutcome? Outcome, string? OutcomeComment, string? Reason);

    /// <summary>What a client sends: every trigger of the insats's workflow.</summary>
    public static readonly IReadOnlyList<InterventionTrigger> Accepted = Enum.GetValues<InterventionTrigger>();

    public static void Map(RouteGroupBuilder interventions) =>
        interventions.MapPost("/{interventionId:guid}/transitions", Handle).RequireAuthorization(Policies.CaseReader);

    internal static async Task<Results<Ok<InterventionView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid interventionId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (request.Trigger is not { } trigger || !Accepted.Contains(trigger))
            return Problems.Validation("trigger", $"Ange en av: {string.Join(", ", Accepted)}.");
        if (trigger == InterventionTrigger.Complete && request.Outcome is null)
            return Problems.Validation("outcome", $"Ange insatsens utfall: {string.Join(", ", Enum.GetNames<InterventionOutcome>())}.");

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        var categories = CaseAccess.CategoriesFor(@case, viewer, now);
        var intervention = @case.Interventions.FirstOrDefault(i => i.Id == interventionId && InterventionView.IsVisible(i, categories));
        if (intervention is null) return Problems.NotFound();
        if (!viewer.IsCoordinator && !@case.Members.Any(m => m.UserId == viewer.UserId && m.Party == intervention.OwnerParty))
            return TypedResults.Problem(
                title: "Du får inte ändra insatsen",
                detail: $"Insatsen ägs av {intervention.OwnerParty.SwedishName()}; den ändras av samordnaren eller av aktörens medlemmar i ärendet.",
                statusCode: StatusCodes.Status403Forbidden);

        switch (trigger)
        {
            case InterventionTrigger.Plan: @case.PlanIntervention(interventionId, viewer.UserId, now); break;
            case InterventionTrigger.Start: @case.StartIntervention(interventionId, viewer.UserId, now); break;
            case InterventionTrigger.Complete: @case.CompleteIntervention(interventionId, request.Outcome!.Value, request.OutcomeComment, viewer.UserId, now); break;
            default: @case.CancelIntervention(interventionId, request.Reason, viewer.UserId, now); break;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(InterventionView.From(intervention));
    }
}
