using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.FollowUps;

/// <summary>
/// POST /api/cases/{id}/follow-ups/{followUpId}/transitions {trigger: Complete|Cancel, assessments: {interventionId: text},
/// overallAssessment?, reason?}. Complete needs an assessment of every Planned or Ongoing insats and of the case as a
/// whole, and schedules the next follow-up while the case is Active. Overdue is entered by the scheduler, not by clients.
/// </summary>
public static class FollowUpTransitions
{
    public sealed record Request(
        FollowUpTrigger? Trigger, IReadOnlyDictionary<Guid, string>? Assessments, string? OverallAssessment, string? Reason);

    /// <summary>The triggers a client may send; MarkOverdue follows from time.</summary>
    public static readonly IReadOnlySet<FollowUpTrigger> ClientTriggers = new HashSet<FollowUpTrigger> { FollowUpTrigger.Complete, FollowUpTrigger.Cancel };

    public static void Map(RouteGroupBuilder followUps) =>
        followUps.MapPost("/{followUpId:guid}/transitions", Handle).RequireAuthorization(Policies.Coordinator);

    internal static async Task<Results<Ok<FollowUpView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid followUpId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time,
        IOptions<CaseRules> rules, CancellationToken ct)
    {
        if (request.Trigger is not { } trigger || !ClientTriggers.Contains(trigger))
            return Problems.Validation("trigger", $"Ange en av: {string.Join(", ", ClientTriggers)}.");
        if (trigger == FollowUpTrigger.Complete && string.IsNullOrWhiteSpace(request.OverallAssessment))
            return Problems.Validation("overallAssessment", "Ange en bedömning av ärendet som helhet.");

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();

        if (trigger == FollowUpTrigger.Complete)
            @case.CompleteFollowUp(followUpId, request.Assessments ?? new Dictionary<Guid, string>(), request.OverallAssessment!, viewer.UserId, now, rules.Value);
        else
            @case.CancelFollowUp(followUpId, request.Reason, viewer.UserId, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(FollowUpView.From(@case, @case.FollowUps.Single(f => f.Id == followUpId), CaseAccess.CategoriesFor(@case, viewer, now), now));
    }
}
