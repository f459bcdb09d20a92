using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Meetings;

/// <summary>GET /api/cases/{id}/meetings?page=&amp;pageSize=: the case's meetings by start time; 404 without the Basic category.</summary>
public static class ListMeetings
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/meetings", (Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page, int? pageSize) =>
            CaseSection.ListAsync(id, principal, db, time, page, pageSize,
                CaseSection.Basic((c, now) => c.Meetings.OrderBy(m => m.StartsAt).ThenBy(m => m.Id).Select(m => MeetingView.From(m, now))), ct))
        .RequireAuthorization(Policies.CaseReader);
}
