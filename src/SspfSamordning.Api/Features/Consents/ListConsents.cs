using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>GET /api/cases/{id}/consents?page=&amp;pageSize=: the case's consents, oldest request first; 404 without the Basic category.</summary>
public static class ListConsents
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/consents", (Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct, int? page, int? pageSize) =>
            CaseSection.ListAsync(id, principal, db, time, page, pageSize,
                CaseSection.Basic((c, now) => c.Consents.OrderBy(k => k.RequestedAt).ThenBy(k => k.Id).Select(k => ConsentView.From(k, now))), ct))
        .RequireAuthorization(Policies.CaseReader);
}
