using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Meetings;

/// <summary>
/// PUT /api/cases/{id}/meetings/{meetingId}/minutes {minutes}: replaces the draft minutes of a held meeting.
/// Refused (409) before the meeting is held and once the minutes are approved: approval freezes them.
/// </summary>
public static class UpdateMinutes
{
    public sealed record Request(string? Minutes);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPut("/{id:guid}/meetings/{meetingId:guid}/minutes", Handle).RequireAuthorization(Policies.Coordinator);

    public static async Task<Results<Ok<MeetingView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid meetingId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Minutes)) return Problems.Validation("minutes", "Protokollet är tomt.");

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ChangeAsync(db, id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        @case.UpdateMinutes(meetingId, request.Minutes, viewer.UserId, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingView.From(@case.Meetings.Single(m => m.Id == meetingId), now));
    }
}
