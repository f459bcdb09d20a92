using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>POST /api/cases: the coordinator opens a case for a signal about a young person. One open case per youth and municipality (<see cref="OneOpenCase"/>).</summary>
public static class OpenCase
{
    public sealed record YouthInput(string? Personnummer, string? GivenName, string? FamilyName, string? School, string? Address, bool? ProtectedIdentity);
    public sealed record GuardianInput(string? GivenName, string? FamilyName, bool? HasCustody, string? Personnummer, string? Phone, string? Email, string? Address, bool? DoNotContact);
    public sealed record Request(Guid? MunicipalityId, YouthInput? Youth, IReadOnlyList<GuardianInput>? Guardians, SignalCategory? SignalCategory, IReadOnlyList<Party>? ProposedParties);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/", Handle).RequireAuthorization(Policies.Coordinator);

    public static async Task<Results<Created<CaseDetail>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, SspfDbContext db, BlindIndex index, TimeProvider time, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var today = SwedishCalendar.DateOf(now);
        var errors = new Dictionary<string, string[]>();
        if (request.MunicipalityId is not { } municipalityId || !viewer.Municipalities.Contains(municipalityId))
            errors["municipalityId"] = ["Ange en av dina kommuner."];
        if (request.Youth is null) errors["youth"] = ["Uppgifter om ungdomen saknas."];
        if (request.SignalCategory is null) errors["signalCategory"] = ["Ange vad signalen gäller."];
        if (request.ProposedParties is null || request.ProposedParties.Count == 0) errors["proposedParties"] = ["Föreslå minst en aktör."];
        if (request.Guardians is null) errors["guardians"] = ["Ange vårdnadshavare (en tom lista om inga finns)."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var y = request.Youth!;
        var youth = Named("youth", () => Youth.Create(y.Personnummer ?? "", y.GivenName ?? "", y.FamilyName ?? "", today, y.School, y.Address, y.ProtectedIdentity ?? false));
        var guardians = request.Guardians!.Select((g, i) => Named($"guardians[{i}]", () => Guardian.Create(
            g.GivenName ?? "", g.FamilyName ?? "", g.HasCustody ?? true, today, g.Personnummer, g.Phone, g.Email, g.Address, g.DoNotContact ?? false))).ToList();
        // The blind index is deliberately slow (PBKDF2): computed here, before the municipality's lock below, so that
        // concurrent openings in one municipality wait for each other's database work only, not for this.
        var bucket = index.Compute(youth.Personnummer);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A failed save ends this request and rolls the whole transaction back, so EF's savepoint around the save would
        // protect nothing — and cost two round trips while the counter's and the access log's locks are held (issue 22).
        db.Database.AutoSavepointsEnabled = false;
        if (await OneOpenCase.LockAndFindOtherAsync(db, request.MunicipalityId!.Value, bucket, youth.Personnummer, null, ct) is { } existingId)
        {
            var visible = await db.VisibleCases(viewer, now).AnyAsync(c => c.Id == existingId, ct);
            return Problems.Conflict("Ungdomen har redan ett öppet ärende", "Det finns redan ett öppet ärende för ungdomen i kommunen.",
                new Dictionary<string, object?> { ["code"] = "DuplicateOpenCase", ["existingCaseId"] = visible ? existingId : null });
        }
        var caseNumber = await CaseNumbers.NextAsync(db, request.MunicipalityId.Value, today.Year, ct);

        var @case = Case.Open(request.MunicipalityId.Value, caseNumber, youth, guardians, request.SignalCategory!.Value,
            request.ProposedParties!, viewer.UserId, now);
        db.Cases.Add(@case);
        db.SetPersonnummerIndex(@case, bucket);
        await db.SaveChangesAndCommitAsync(ct);
        return TypedResults.Created($"/api/cases/{@case.Id}", CaseDetail.From(@case, viewer, now));
    }

    /// <summary>Places a person's field errors under the request member they came from, e.g. "guardians[1].email".</summary>
    private static T Named<T>(string member, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (DomainValidationException invalid)
        {
            throw invalid.WithPrefix(member);
        }
    }
}
