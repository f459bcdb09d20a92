using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Meetings;

/// <summary>GET /api/cases/{id}/meetings?page=&amp;pageSize=: the case's meetings by start time; 404 without the Basic category.</summary>
public static class ListMeetings
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/meetings", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Results<Ok<PagedList<MeetingView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ReadAsync(db, id, Viewer.From(principal), now, ct);
        if (@case is null) return Problems.NotFound();
        return TypedResults.Ok(CaseSection.Page(@case.Meetings.OrderBy(m => m.StartsAt).ThenBy(m => m.Id), paging, m => MeetingView.From(m, now)));
    }
}
