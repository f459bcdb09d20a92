using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Api.Pages;

/// <summary>What a page does with a use case's change: done, refused with messages on the form, or not found / forbidden.</summary>
public enum ChangeOutcome { Done, Refused, NotFound, Forbidden }

/// <summary>
/// Runs a use case's change for a page exactly as the API's pipeline would answer it: the handler's own refusals
/// (ValidationProblem, 409 problem) and the domain's exceptions that the API's exception handler turns into 400/409
/// become messages on the form; a 404 — including an id that is not in this case (<see cref="DomainNotFoundException"/>,
/// e.g. another case's consent id) — and a 403 are the page's 404/403 answers, which <c>PageAuditFilter</c> logs as
/// Refused, as the API's filter does.
/// </summary>
public static class PageChange
{
    public static async Task<ChangeOutcome> RunAsync(Func<Task<IResult>> change, ModelStateDictionary state)
    {
        IResult result;
        try
        {
            result = await change();
        }
        catch (DomainNotFoundException)
        {
            return ChangeOutcome.NotFound;
        }
        catch (DomainValidationException invalid)
        {
            TypedResults.ValidationProblem(invalid.Errors).AddTo(state);
            return ChangeOutcome.Refused;
        }
        catch (DomainRuleException rule)
        {
            state.AddModelError("", rule.Message);
            return ChangeOutcome.Refused;
        }
        catch (TransitionRefusedException refused)
        {
            // The API's title; its detail names the workflow's identifiers, which are not for people. The guards are Swedish.
            state.AddModelError("", "Åtgärden är inte tillåten just nu" + (refused.UnmetGuards.Count == 0 ? "." : ": " + string.Join("; ", refused.UnmetGuards) + "."));
            return ChangeOutcome.Refused;
        }
        while (result is INestedHttpResult nested) result = nested.Result;
        switch ((result as IStatusCodeHttpResult)?.StatusCode)
        {
            case >= 200 and < 300:
                return ChangeOutcome.Done;
            case StatusCodes.Status404NotFound:
                return ChangeOutcome.NotFound;
            case StatusCodes.Status403Forbidden:
                return ChangeOutcome.Forbidden;
            default:
                result.AddErrorsTo(state);
                return ChangeOutcome.Refused;
        }
    }

    /// <summary>
    /// A page's POST: the change, then after it was done the redirect to <paramref name="doneUrl"/> (post/redirect/get),
    /// the page's 404 or 403 when the API would answer so, else the form again with the refusal's messages.
    /// </summary>
    public static async Task<IActionResult> ChangeAsync(this PageModel page, Func<Task<IResult>> change, Func<string> doneUrl,
        Func<Task<IActionResult>> showAgain) =>
        await RunAsync(change, page.ModelState) switch
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
