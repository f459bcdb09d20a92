using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.FollowUps;

/// <summary>GET /api/cases/{id}/follow-ups: the follow-ups, due first, paged; for callers shown the Basic category.</summary>
public static class ListFollowUps
{
    public static void Map(RouteGroupBuilder followUps) =>
        followUps.MapGet("/", Handle).RequireAuthorization(Policies.CaseReader);

    private static Task<Results<Ok<PagedList<FollowUpView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page = null, int? pageSize = null) =>
        CaseSection.ListAsync<FollowUpView>(id, principal, db, time, page, pageSize, FollowUpView.Visible, ct);
}
