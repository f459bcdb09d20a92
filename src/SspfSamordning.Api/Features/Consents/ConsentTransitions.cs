using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>
/// POST /api/cases/{id}/consents/{consentId}/transitions, on behalf of a signatory:
/// <c>Withdraw {signatory, guardianId?, reason?}</c> — a valid consent becomes Withdrawn (the case falls back to
/// AwaitingConsent when no other consent is in force), a pending one Refused; and
/// <c>NarrowScope {signatory, guardianId?, parties, categories}</c> — the new, smaller scope. Both take effect
/// on the very next request of every reader. Giving and refusing go through <see cref="AnswerConsent"/>.
/// </summary>
public static class ConsentTransitions
{

    public sealed record Request(
        string? Trigger, SignatoryKind? Signatory, Guid? GuardianId, string? Reason,
        IReadOnlyList<Party>? Parties, IReadOnlyList<InformationCategory>? Categories);

    /// <summary>What a signatory may do to a consent after answering (Give and Refuse are answers; Expire is the clock's).</summary>
    public static readonly IReadOnlyList<ConsentTrigger> Accepted = [ConsentTrigger.Withdraw, ConsentTrigger.NarrowScope];

    private static readonly IReadOnlySet<string> WithdrawFields = new HashSet<string> { "reason" };
    private static readonly IReadOnlySet<string> NarrowFields = new HashSet<string> { "parties", "categories" };

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/consents/{consentId:guid}/transitions", Handle).RequireAuthorization(Policies.ConsentRecorder);

    internal static async Task<Results<Ok<ConsentView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid consentId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var trigger = ClientTrigger.Parse(request.Trigger, Accepted, errors);
        var signatory = SignatoryInput.Parse(request.Signatory, request.GuardianId, errors);
        if (trigger is { } t)
        {
            ClientTrigger.RejectUnused(t.ToString(), t == ConsentTrigger.Withdraw ? WithdrawFields : NarrowFields, errors,
                ("reason", request.Reason is not null), ("parties", request.Parties is not null), ("categories", request.Categories is not null));
            if (t == ConsentTrigger.NarrowScope && request.Parties is null) errors["parties"] = ["Ange de aktörer som samtycket ska omfatta."];
            if (t == ConsentTrigger.NarrowScope && request.Categories is null) errors["categories"] = ["Ange de informationskategorier som samtycket ska omfatta."];
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ChangeAsync(db, id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        if (trigger == ConsentTrigger.Withdraw)
            @case.WithdrawConsent(consentId, signatory!.Value, request.Reason, viewer.UserId, now);
        else
            @case.NarrowConsentScope(consentId, request.Parties!, request.Categories!, signatory!.Value, viewer.UserId, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ConsentView.From(@case.Consents.Single(k => k.Id == consentId), now));
    }
}
