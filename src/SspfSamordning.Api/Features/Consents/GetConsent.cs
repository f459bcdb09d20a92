using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>GET /api/cases/{id}/consents/{consentId}: one consent with its answers; 404 without the Basic category.</summary>
public static class GetConsent
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/consents/{consentId:guid}", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> Handle(
        Guid id, Guid consentId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var @case = await CaseSection.ReadAsync(db, id, Viewer.From(principal), now, ct);
        var consent = @case?.Consents.FirstOrDefault(k => k.Id == consentId);
        return consent is null ? Problems.NotFound() : TypedResults.Ok(ConsentView.From(consent, now));
    }
}
