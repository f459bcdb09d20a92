using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SspfSamordning.Api.Features.Staff;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>
/// Runs a case use case from a page and answers as the API does (Infrastructure/Http/ExceptionHandler): an invisible
/// case or a child id of another case (<see cref="DomainNotFoundException"/>) is 404; a refused transition, a broken
/// rule and invalid input become messages on the form (400/409) and nothing is saved.
/// </summary>
public static class CasePageAction
{
    public static async Task<int> RunAsync(Func<Task<IResult>> useCase, ModelStateDictionary state, SspfDbContext db)
    {
        try
        {
            var result = await useCase();
            var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
            if (status >= 400 && status != StatusCodes.Status404NotFound) result.AddErrorsTo(state);
            if (status >= 400) db.ChangeTracker.Clear();
            return status;
        }
        catch (Exception e) when (e is DomainNotFoundException or TransitionRefusedException or DomainRuleException or DomainValidationException)
        {
            // The aggregate may hold the refused change: the page is shown again from the database, never from it.
            db.ChangeTracker.Clear();
            switch (e)
            {
                case DomainNotFoundException:
                    return StatusCodes.Status404NotFound;
                case DomainValidationException invalid:
                    TypedResults.ValidationProblem(invalid.Errors.ToDictionary()).AddTo(state);
                    return StatusCodes.Status400BadRequest;
                default:
                    state.AddModelError("", e.Message);
                    return StatusCodes.Status409Conflict;
            }
        }
    }

    /// <summary>Shows the use case's messages for <paramref name="from"/> fields by the form's field <paramref name="to"/>.</summary>
    public static void MoveErrors(this ModelStateDictionary state, string to, params string[] from)
    {
        foreach (var key in from)
        {
            if (!state.TryGetValue(key, out var entry)) continue;
            var messages = entry.Errors.Select(e => e.ErrorMessage).ToList();
            state.Remove(key);
            foreach (var message in messages) state.AddModelError(to, message);
        }
    }

    /// <summary>Names of the staff the person may see (the API's staff directory), to show members and invitees by name.</summary>
    public static async Task<Dictionary<Guid, SearchStaff.StaffView>> StaffAsync(ClaimsPrincipal user, SspfDbContext db, CancellationToken ct, string? search = null) =>
        (await SearchStaff.Handle(user, db, ct, search, null, 1, 100)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<Infrastructure.Http.PagedList<SearchStaff.StaffView>> ok
            ? ok.Value!.Items.ToDictionary(s => s.Id)
            : [];
}
