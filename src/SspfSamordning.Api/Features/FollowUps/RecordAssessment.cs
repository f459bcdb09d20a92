using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.FollowUps;

/// <summary>
/// PUT /api/cases/{id}/follow-ups/{followUpId}/assessments/{interventionId} {assessment}: records (or replaces) the
/// assessment of one insats at a Scheduled or Overdue follow-up (docs/domain-rules.md, decision 11). Who: a case member
/// of the party that owns the insats, or its responsible person. Someone who may not see the follow-up or the insats
/// (another case's insats id included) gets 404; someone who sees it but is of another party gets 403; a Done or
/// Cancelled follow-up is 409; an empty or too long text is 400. The text is encrypted as every assessment is, the
/// change is a Change event of the case in the access log, and a concurrent change of the case answers 409.
/// </summary>
public static class RecordAssessment
{
    public sealed record Request(string? Assessment);

    public static void Map(RouteGroupBuilder followUps) =>
        followUps.MapPut("/{followUpId:guid}/assessments/{interventionId:guid}", Handle)
            .RequireAuthorization(Policies.CaseReader)
            .WithSummary("Record the assessment of one insats at an open follow-up")
            .WithDescription(
                "A case member of the party that owns the insats, or its responsible person, records or replaces the insats's " +
                "assessment while the follow-up is Scheduled or Overdue. The samordnare's Complete keeps it for every insats it " +
                "does not assess itself; after Done or Cancelled it is read-only (409). 404 when the follow-up or the insats is not " +
                "visible to the caller, 403 for another party's insats, 400 for an empty or too long text.");

    internal static async Task<Results<Ok<FollowUpView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid followUpId, Guid interventionId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time,
        CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        var categories = CaseAccess.CategoriesFor(@case, viewer, now);
        // The follow-up is a joint record (Basic), the insats its owner's category: both must be shown to the caller.
        var followUp = RecordCategories.ShowsJointRecords(categories) ? @case.FollowUps.FirstOrDefault(f => f.Id == followUpId) : null;
        var intervention = @case.Interventions.FirstOrDefault(i => i.Id == interventionId && InterventionView.IsVisible(i, categories));
        if (followUp is null || intervention is null) return Problems.NotFound();
        if (!@case.MayRecordAssessment(interventionId, viewer.UserId))
            return TypedResults.Problem(
                title: "Du får inte bedöma insatsen",
                detail: $"Insatsen ägs av {intervention.OwnerParty.SwedishName()}; bedömningen registreras av insatsens ansvariga eller av aktörens medlemmar i ärendet.",
                statusCode: StatusCodes.Status403Forbidden);

        @case.RecordFollowUpAssessment(followUpId, interventionId, request.Assessment, viewer.UserId, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(FollowUpView.From(@case, followUp, categories, now));
    }
}
