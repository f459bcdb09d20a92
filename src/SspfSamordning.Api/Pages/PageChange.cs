using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Api.Pages;

/// <summary>What a page does with a use case's change: done, refused with messages on the form, or not found / forbidden.</summary>
public enum ChangeOutcome { Done, Refused, NotFound, Forbidden }

/// <summary>A change's outcome for a page, with the status the API would have answered (2xx, 400, 403, 404 or 409).</summary>
public readonly record struct ChangeAnswer(ChangeOutcome Outcome, int Status);

/// <summary>
/// Runs a use case's change for a page exactly as the API's pipeline would answer it: the handler's own refusals
/// (ValidationProblem, 409 problem) and the domain's exceptions that the API's exception handler turns into 400/409
/// (Infrastructure/Http/ExceptionHandler) become messages on the form; a 404 — including an id that is not in this case
/// (<see cref="DomainNotFoundException"/>, e.g. another case's consent id) — and a 403 are the page's 404/403 answers,
/// which <c>PageAuditFilter</c> logs as Refused, as the API's filter does. Whatever was not done is also dropped from the
/// request's DbContext (the aggregate may hold the refused change): the page is shown again from the database.
/// </summary>
public static class PageChange
{
    public static async Task<ChangeAnswer> RunAsync(Func<Task<IResult>> change, ModelStateDictionary state, SspfDbContext db)
    {
        var answer = await AnswerAsync(change, state);
        if (answer.Outcome != ChangeOutcome.Done) db.ChangeTracker.Clear();
        return answer;
    }

    private static async Task<ChangeAnswer> AnswerAsync(Func<Task<IResult>> change, ModelStateDictionary state)
    {
        IResult result;
        try
        {
            result = await change();
        }
        catch (DomainNotFoundException)
        {
            return new(ChangeOutcome.NotFound, StatusCodes.Status404NotFound);
        }
        catch (DomainValidationException invalid)
        {
            TypedResults.ValidationProblem(invalid.Errors).AddTo(state);
            return new(ChangeOutcome.Refused, StatusCodes.Status400BadRequest);
        }
        catch (DomainRuleException rule)
        {
            state.AddModelError("", rule.Message);
            return new(ChangeOutcome.Refused, StatusCodes.Status409Conflict);
        }
        catch (TransitionRefusedException refused)
        {
            // The API's title; its detail names the workflow's identifiers, which are not for people. The guards are Swedish.
            state.AddModelError("", "Åtgärden är inte tillåten just nu" + (refused.UnmetGuards.Count == 0 ? "." : ": " + string.Join("; ", refused.UnmetGuards) + "."));
            return new(ChangeOutcome.Refused, StatusCodes.Status409Conflict);
        }
        while (result is INestedHttpResult nested) result = nested.Result;
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        switch (status)
        {
            case < 300:
                return new(ChangeOutcome.Done, status);
            case StatusCodes.Status404NotFound:
                return new(ChangeOutcome.NotFound, status);
            case StatusCodes.Status403Forbidden:
                return new(ChangeOutcome.Forbidden, status);
            default:
                result.AddErrorsTo(state);
                return new(ChangeOutcome.Refused, status);
        }
    }

    /// <summary>
    /// A page's POST: the change, then after it was done the redirect to <paramref name="doneUrl"/> (post/redirect/get),
    /// the page's 404 or 403 when the API would answer so, else the form again with the refusal's messages.
    /// </summary>
    public static async Task<IActionResult> ChangeAsync(this PageModel page, Func<Task<IResult>> change, Func<string> doneUrl,
        Func<Task<IActionResult>> showAgain) =>
        (await RunAsync(change, page.ModelState, page.HttpContext.RequestServices.GetRequiredService<SspfDbContext>())).Outcome switch
        {
            ChangeOutcome.Done => page.LocalRedirect(doneUrl()),
            ChangeOutcome.NotFound => page.NotFound(),
            ChangeOutcome.Forbidden => page.StatusCode(StatusCodes.Status403Forbidden),
            _ => await showAgain(),
        };

    /// <summary>An enum value as a form posts it (its name); anything else is null, which the use case refuses as the API does.</summary>
    public static T? Choice<T>(string? value) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _) ? parsed : null;

    /// <summary>A date typed as 2026-12-04; empty is null; anything else a message by the field (and null).</summary>
    public static DateOnly? Date(ModelStateDictionary state, string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        state.AddModelError(field, "Skriv datumet som år-månad-dag, till exempel 2027-01-15.");
        return null;
    }

    /// <summary>
    /// Whether the person holds <paramref name="policy"/>: a page's one class-level policy covers showing it, a change that
    /// the API guards with a stricter policy (e.g. proposing an insats: Coordinator) checks that policy here, as the API's
    /// endpoint does before its handler runs.
    /// </summary>
    public static async Task<bool> AllowsAsync(this PageModel page, string policy) =>
        (await page.HttpContext.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(page.User, policy)).Succeeded;

    /// <summary>Moves the API's field names' messages onto the form's field of another name (e.g. signatory → the signer radios).</summary>
    public static void Rename(ModelStateDictionary state, string to, params string[] from)
    {
        foreach (var name in from)
        {
            if (!state.TryGetValue(name, out var entry) || entry.Errors.Count == 0) continue;
            foreach (var error in entry.Errors.ToList()) state.AddModelError(to, error.ErrorMessage);
            state.Remove(name);
        }
    }
}
