using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Meetings;

/// <summary>
/// PUT /api/cases/{id}/action-plan {meetingId, goals}: adopts the action plan at a held network meeting of an
/// Active case — the first adoption schedules the first follow-up and its deadline — or revises it.
/// </summary>
public static class SetActionPlan
{
    public sealed record Request(Guid? MeetingId, string? Goals);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPut("/{id:guid}/action-plan", Handle).RequireAuthorization(Policies.Coordinator);

    public static async Task<Results<Ok<ActionPlanView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.MeetingId is null || request.MeetingId == Guid.Empty) errors["meetingId"] = ["Ange nätverksmötet där handlingsplanen upprättades."];
        if (string.IsNullOrWhiteSpace(request.Goals)) errors["goals"] = ["Handlingsplanen saknar mål."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ChangeAsync(db, id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        var plan = @case.SetActionPlan(request.MeetingId!.Value, request.Goals!, viewer.UserId, now, rules.Value);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ActionPlanView.From(plan));
    }
}
