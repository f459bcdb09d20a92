using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Disclosures;

/// <summary>
/// POST /api/cases/{id}/disclosures/{disclosureId}/transitions {trigger: Revoke, reason?}: socialtjänst ends a disclosure
/// before its end date; the receiving police member loses the access it gave on their next request.
/// </summary>
public static class DisclosureTransitions
{
    public sealed record Request(DisclosureTrigger? Trigger, string? Reason);

    /// <summary>What a client sends: every trigger of the disclosure's workflow.</summary>
    public static readonly IReadOnlyList<DisclosureTrigger> Accepted = Enum.GetValues<DisclosureTrigger>();

    public static void Map(RouteGroupBuilder disclosures) =>
        disclosures.MapPost("/{disclosureId:guid}/transitions", Handle).RequireAuthorization(Policies.SocialServices);

    private static async Task<Results<Ok<DisclosureView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid disclosureId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (request.Trigger is not { } trigger || !Accepted.Contains(trigger))
            return Problems.Validation("trigger", $"Ange en av: {string.Join(", ", Accepted)}.");

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForChangeAsync(id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        @case.RevokeDisclosure(disclosureId, request.Reason, viewer.UserId, viewer.Party, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(DisclosureView.From(@case.Disclosures.Single(d => d.Id == disclosureId)));
    }
}
