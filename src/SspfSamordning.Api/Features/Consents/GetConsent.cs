using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>GET /api/cases/{id}/consents/{consentId}: one consent with its answers; 404 without the Basic category.</summary>
public static class GetConsent
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/consents/{consentId:guid}", (Guid id, Guid consentId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct) =>
            CaseSection.GetAsync(id, consentId, principal, db, time,
                CaseSection.Basic((c, now) => c.Consents.Select(k => ConsentView.From(k, now))), v => v.Id, ct))
        .RequireAuthorization(Policies.CaseReader);
}
