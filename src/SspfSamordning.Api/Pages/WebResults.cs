using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace SspfSamordning.Api.Pages;

/// <summary>Adapts a use case's typed results (the API's answers) to a page: its field errors onto the form's fields.</summary>
public static class WebResults
{
    /// <summary>The API's camelCase field names map to the form's PascalCase ones; the first message per field is shown.</summary>
    public static void AddTo(this ValidationProblem problem, ModelStateDictionary state)
    {
        foreach (var (field, messages) in problem.ProblemDetails.Errors)
        {
            var name = field.Length == 0 ? "" : char.ToUpperInvariant(field[0]) + field[1..];
            foreach (var message in messages) state.AddModelError(name, message);
        }
    }

    /// <summary>A use case's refusal (field errors, or a problem that belongs to no field) onto the form.</summary>
    public static void AddErrorsTo(this IResult refusal, ModelStateDictionary state)
    {
        if (refusal is ValidationProblem invalid) invalid.AddTo(state);
        else if (refusal is ProblemHttpResult problem) problem.AddTo(state);
        else state.AddModelError("", "Åtgärden kunde inte utföras.");
    }

    /// <summary>A conflict or other problem that belongs to no field: shown at the top of the error summary.</summary>
    public static void AddTo(this ProblemHttpResult problem, ModelStateDictionary state) =>
        state.AddModelError("", problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "Åtgärden kunde inte utföras.");
}
