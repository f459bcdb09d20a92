using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>
/// POST /api/cases/{id}/consents/{consentId}/answers {signatory, guardianId?, given, form, documentRef?,
/// verbalRecordedBy?, obtainedBy}: records one signatory's answer. Who must sign follows the youth's age today
/// (the domain refuses anyone else with 409); the last required "given" makes the consent Valid and the case
/// Active, a refusal makes it Refused and the case Declined.
/// </summary>
public static class AnswerConsent
{
    public sealed record Request(
        SignatoryKind? Signatory, Guid? GuardianId, bool? Given, ConsentForm? Form, string? DocumentRef, string? VerbalRecordedBy, Party? ObtainedBy);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/consents/{consentId:guid}/answers", Handle).RequireAuthorization(Policies.ConsentRecorder);

    internal static async Task<Results<Ok<ConsentView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid consentId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var signatory = SignatoryInput.Parse(request.Signatory, request.GuardianId, errors);
        if (request.Given is null) errors["given"] = ["Ange om samtycket gavs (true) eller vägrades (false)."];
        if (request.ObtainedBy is null) errors["obtainedBy"] = ["Ange vilken aktör som inhämtade svaret."];
        switch (request.Form)
        {
            case null:
                errors["form"] = ["Ange formen: Written eller Verbal."];
                break;
            case ConsentForm.Written when string.IsNullOrWhiteSpace(request.DocumentRef):
                errors["documentRef"] = ["Ange dokumentreferensen för det skriftliga svaret."];
                break;
            case ConsentForm.Verbal when string.IsNullOrWhiteSpace(request.VerbalRecordedBy):
                errors["verbalRecordedBy"] = ["Ange vem som tog emot det muntliga svaret."];
                break;
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = CaseSection.Shared(await db.LoadForConsentAnswerAsync(id, viewer, now, ct), viewer, now);
        if (@case is null) return Problems.NotFound();
        var answer = new SignatoryAnswer(signatory!.Value, request.Given!.Value, request.Form!.Value, request.ObtainedBy!.Value,
            request.DocumentRef, request.VerbalRecordedBy);
        @case.AnswerConsent(consentId, answer, viewer.UserId, now, rules.Value);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ConsentView.From(@case.Consents.Single(k => k.Id == consentId), now));
    }
}
