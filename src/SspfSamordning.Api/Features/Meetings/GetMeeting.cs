using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Meetings;

/// <summary>GET /api/cases/{id}/meetings/{meetingId}: one meeting with attendance and minutes; 404 without the Basic category.</summary>
public static class GetMeeting
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/meetings/{meetingId:guid}", Handle).RequireAuthorization(Policies.CaseReader);

    /// <summary>Also the web interface's meeting page: one meeting of a case, or 404 alike for an invisible case or another case's meeting.</summary>
    public static Task<Results<Ok<MeetingView>, ProblemHttpResult>> Handle(
        Guid id, Guid meetingId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct) =>
        CaseSection.GetAsync(id, meetingId, principal, db, time,
            CaseSection.Basic((c, now) => c.Meetings.Select(m => MeetingView.From(m, now))), v => v.Id, ct);
}
