using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Disclosures;

/// <summary>
/// POST /api/cases/{id}/disclosures {legalBasis, justification, categories, decisionMaker, receivingPoliceUserId, endsAt}:
/// socialtjänst records a disclosure to one police member of the case without consent (OSL 10 kap. 18 a §). It gives
/// that member the disclosed categories of this case until <c>endsAt</c> or until it is revoked; it is never a consent share.
/// </summary>
public static class DiscloseWithoutConsent
{
    public sealed record Request(
        string? LegalBasis, string? Justification, IReadOnlyList<InformationCategory>? Categories, string? DecisionMaker,
        Guid? ReceivingPoliceUserId, DateTimeOffset? EndsAt);

    public static void Map(RouteGroupBuilder disclosures) =>
        disclosures.MapPost("/", Handle).RequireAuthorization(Policies.SocialServices);

    private static async Task<Results<Created<DisclosureView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.LegalBasis))
            errors["legalBasis"] = [$"Ange rättslig grund: {string.Join(", ", rules.Value.DisclosureLegalBases)}."];
        if (string.IsNullOrWhiteSpace(request.Justification)) errors["justification"] = ["Ange varför uppgifterna lämnas."];
        if (request.Categories is null || request.Categories.Count == 0) errors["categories"] = ["Ange vilka uppgifter som lämnas."];
        if (string.IsNullOrWhiteSpace(request.DecisionMaker)) errors["decisionMaker"] = ["Ange beslutsfattarens namn och titel."];
        if (request.ReceivingPoliceUserId is null) errors["receivingPoliceUserId"] = ["Ange vilken polis i ärendet som tar emot uppgifterna."];
        if (request.EndsAt is null) errors["endsAt"] = ["Ange när uppgiftslämnandet upphör."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();

        var disclosure = @case.DiscloseWithoutConsent(
            request.LegalBasis!, request.Justification!, request.Categories!, request.DecisionMaker!,
            request.ReceivingPoliceUserId!.Value, request.EndsAt!.Value, viewer.UserId, viewer.Party, now, rules.Value);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/cases/{id}/disclosures/{disclosure.Id}", DisclosureView.From(disclosure));
    }
}
