using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.FollowUps;

/// <summary>GET /api/cases/{id}/follow-ups/{followUpId}: for callers shown the Basic category; 404 otherwise.</summary>
public static class GetFollowUp
{
    public static void Map(RouteGroupBuilder followUps) =>
        followUps.MapGet("/{followUpId:guid}", Handle).RequireAuthorization(Policies.CaseReader);

    internal static Task<Results<Ok<FollowUpView>, ProblemHttpResult>> Handle(
        Guid id, Guid followUpId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct) =>
        CaseSection.GetAsync<FollowUpView>(id, followUpId, principal, db, time, FollowUpView.Visible, v => v.Id, ct);
}
