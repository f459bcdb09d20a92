using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// POST /api/cases/{id}/transitions {trigger, closeReason?, closeComment?, reason?}: Close (with <c>closeReason</c> from the
/// list and an optional <c>closeComment</c>, both shown under those names in the case) and Reopen (with an optional <c>reason</c>).
/// The other case transitions follow from consent. A refused trigger is a 409 with the state and permitted triggers.
/// </summary>
public static class CaseTransitions
{
    public sealed record Request(CaseTrigger? Trigger, CloseReason? CloseReason, string? CloseComment, string? Reason);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/transitions", Handle).RequireAuthorization(Policies.Coordinator);

    public static async Task<Results<Ok<TransitionResult>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, BlindIndex index, TimeProvider time, IOptions<CaseRules> rules,
        CancellationToken ct)
    {
        if (request.Trigger is not { } trigger || !CaseDetail.ClientTriggers.Contains(trigger))
            return Problems.Validation("trigger", $"Ange en av: {string.Join(", ", CaseDetail.ClientTriggers)}.");
        if (trigger == CaseTrigger.Close && request.CloseReason is null)
            return Problems.Validation("closeReason", "Ange varför ärendet avslutas.");
        if (trigger == CaseTrigger.Close && request.Reason is not null)
            return Problems.Validation("reason", "Vid avslut anges kommentaren som closeComment.");
        if (trigger == CaseTrigger.Reopen && (request.CloseReason is not null || request.CloseComment is not null))
            return Problems.Validation(request.CloseReason is not null ? "closeReason" : "closeComment", "Används bara när ärendet avslutas.");

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        // Reopening checks the one-open-case rule under the lock that opening takes, in the transaction that saves it.
        await using var transaction = trigger == CaseTrigger.Reopen ? await db.Database.BeginTransactionAsync(ct) : null;
        // No savepoint around the save: a failed save ends the request and rolls all of it back (as in OpenCase).
        db.Database.AutoSavepointsEnabled = false;
        var @case = await db.LoadForTransitionAsync(id, trigger, viewer, now, ct);
        if (@case is null) return Problems.NotFound();

        if (trigger == CaseTrigger.Close)
        {
            @case.Close(request.CloseReason!.Value, request.CloseComment, viewer.UserId, now, rules.Value);
        }
        else
        {
            var bucket = db.EntryAsLoaded(@case).Property<string?>(Aggregates.PersonnummerIndex).CurrentValue ?? index.Compute(@case.Youth.Personnummer);
            if (await OneOpenCase.LockAndFindOtherAsync(db, @case.MunicipalityId, bucket, @case.Youth.Personnummer, @case.Id, ct) is not null)
                throw new DomainRuleException("DuplicateOpenCase", "Ungdomen har redan ett annat öppet ärende i kommunen.");
            @case.Reopen(request.Reason, viewer.UserId, now, rules.Value);
        }
        await db.SaveChangesAndCommitAsync(ct);
        return TypedResults.Ok(new TransitionResult(@case.Id, @case.State.ToString(), CaseDetail.ClientPermittedTriggers(@case, now)));
    }
}
