using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Meetings;

/// <summary>GET /api/cases/{id}/meetings/{meetingId}: one meeting with attendance and minutes; 404 without the Basic category.</summary>
public static class GetMeeting
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/meetings/{meetingId:guid}", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Results<Ok<MeetingView>, ProblemHttpResult>> Handle(
        Guid id, Guid meetingId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var @case = await CaseSection.ReadAsync(db, id, Viewer.From(principal), now, ct);
        var meeting = @case?.Meetings.FirstOrDefault(m => m.Id == meetingId);
        return meeting is null ? Problems.NotFound() : TypedResults.Ok(MeetingView.From(meeting, now));
    }
}
