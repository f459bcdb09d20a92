using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>
/// POST /api/cases/{id}/consents {parties, categories}: the coordinator requests consent for a scope. The first
/// request moves the case Opened → AwaitingConsent; only one consent may await answers at a time.
/// </summary>
public static class RequestConsent
{
    public sealed record Request(IReadOnlyList<Party>? Parties, IReadOnlyList<InformationCategory>? Categories);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/consents", Handle).RequireAuthorization(Policies.Coordinator);

    public static async Task<Results<Created<ConsentView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Parties is null || request.Parties.Count == 0) errors["parties"] = ["Ange minst en aktör som samtycket omfattar."];
        if (request.Categories is null || request.Categories.Count == 0) errors["categories"] = ["Ange minst en informationskategori."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ChangeAsync(db, id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        var consent = @case.RequestConsent(request.Parties!, request.Categories!, viewer.UserId, now, rules.Value);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/cases/{id}/consents/{consent.Id}", ConsentView.From(consent, now));
    }
}
