using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>GET /api/cases/{id}/consents/{consentId}: one consent with its answers; 404 without the Basic category.</summary>
public static class GetConsent
{
    /// <summary>
    /// The consent page's view (the same section, visibility and 404 as the API's): the consent, who must sign it today by
    /// the youth's age (the domain's <see cref="Case.RequiredSignatories"/>; empty when no guardian with custody is
    /// registered) and the case's guardians, masked as in <see cref="CaseDetail"/>.
    /// </summary>
    public sealed record ToAnswer(ConsentView Consent, IReadOnlyList<Signatory> RequiredToday, IReadOnlyList<GuardianView> Guardians);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/{id:guid}/consents/{consentId:guid}", (Guid id, Guid consentId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct) =>
            CaseSection.GetAsync(id, consentId, principal, db, time,
                CaseSection.Basic((c, now) => c.Consents.Select(k => ConsentView.From(k, now))), v => v.Id, ct))
        .RequireAuthorization(Policies.CaseReader);

    internal static Task<Results<Ok<ToAnswer>, ProblemHttpResult>> ForAnsweringAsync(
        Guid id, Guid consentId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct) =>
        CaseSection.GetAsync(id, consentId, principal, db, time,
            CaseSection.Basic((c, viewer, now) =>
            {
                var required = RequiredOrNone(c, now);
                var masked = c.Youth.IsMaskedFor(viewer.IsSocialServices);
                IReadOnlyList<GuardianView> guardians = [.. c.Guardians.Select(g => GuardianView.From(g, masked))];
                return c.Consents.Select(k => new ToAnswer(ConsentView.From(k, now), required, guardians));
            }), v => v.Consent.Id, ct);

    private static IReadOnlyList<Signatory> RequiredOrNone(Case @case, DateTimeOffset now)
    {
        try
        {
            return @case.RequiredSignatories(now);
        }
        catch (DomainRuleException)
        {
            return [];
        }
    }
}
