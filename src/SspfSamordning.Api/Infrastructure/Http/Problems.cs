using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>ProblemDetails answers with Swedish titles for the people reading them.</summary>
public static class Problems
{
    public static ValidationProblem Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Ogiltig begäran");

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Ogiltig begäran");

    public static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: "Hittades inte", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict, extensions: extensions);

    /// <summary>
    /// The one answer to every failed login or refresh, byte for byte: it tells nobody whether the account
    /// exists, the password was wrong or the account is locked.
    /// </summary>
    public static JsonHttpResult<ProblemDetails> Unauthorized(bool requiresTwoFactor = false)
    {
        var problem = new ProblemDetails
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            Title = requiresTwoFactor ? "Tvåstegsverifiering krävs" : "Inloggningen misslyckades",
            Status = StatusCodes.Status401Unauthorized,
        };
        if (requiresTwoFactor) problem.Extensions["requiresTwoFactor"] = true;
        return TypedResults.Json(problem, contentType: "application/problem+json", statusCode: StatusCodes.Status401Unauthorized);
    }
}
