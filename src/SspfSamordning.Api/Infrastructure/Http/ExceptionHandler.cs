using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Maps the exceptions that mean something to the client to ProblemDetails, each explicitly; anything else
/// is a 500 without details (the log has them, the response never does).
/// </summary>
public sealed partial class ExceptionHandler(IProblemDetailsService problemDetails, DatabaseOutage outage, ILogger<ExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        // A page request gets the Swedish error page without details (WebInterface), not ProblemDetails.
        if (Web.WebInterface.IsPagePath(http.Request.Path)) return false;
        if (DatabaseOutage.IsTransient(exception))
        {
            // Logged once per outage (DatabaseOutage), never with the request's data; a read whose access-log event could
            // not be written lands here too, and still gets no data.
            outage.Report(exception, http);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var unavailable = Problem(StatusCodes.Status503ServiceUnavailable, "Tjänsten är tillfälligt otillgänglig",
                "Databasen svarar inte just nu. Försök igen om en stund.", ("code", "DatabaseUnavailable"));
            unavailable.Type = DatabaseOutage.ProblemType;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = unavailable });
        }
        var problem = exception switch
        {
            TransitionRefusedException refused => Problem(StatusCodes.Status409Conflict, "Åtgärden är inte tillåten just nu", refused.Message,
                ("code", "TransitionRefused"), ("workflow", refused.Workflow), ("currentState", refused.CurrentState),
                ("trigger", refused.Trigger), ("permittedTriggers", refused.PermittedTriggers), ("unmetGuards", refused.UnmetGuards)),
            DomainRuleException rule => Problem(StatusCodes.Status409Conflict, "Åtgärden strider mot en regel", rule.Message, ("code", rule.Code)),
            DomainValidationException invalid => new ValidationProblemDetails(invalid.Errors.ToDictionary())
            {
                Status = StatusCodes.Status400BadRequest, Title = "Ogiltig begäran",
            },
            DomainNotFoundException => Problem(StatusCodes.Status404NotFound, "Hittades inte", null),
            DbUpdateConcurrencyException => Problem(StatusCodes.Status409Conflict, "Någon annan har ändrat uppgifterna samtidigt",
                "Läs in uppgifterna igen och gör om ändringen.", ("code", "ConcurrentUpdate")),
            // A body that does not bind names the offending JSON member (never its value).
            BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { } path } } bad =>
                new ValidationProblemDetails(new Dictionary<string, string[]> { [path.TrimStart('$', '.')] = ["Okänt fält eller fel typ av värde."] })
                {
                    Status = bad.StatusCode, Title = "Ogiltig begäran",
                },
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problem(
                StatusCodes.Status413PayloadTooLarge, "Begäran är för stor", null, ("code", "RequestBodyTooLarge")),
            // A route or query value that does not bind (e.g. ?state=Hacker) names its parameter (never the value).
            BadHttpRequestException bad when ParameterOf(bad.Message) is { } parameter =>
                new ValidationProblemDetails(new Dictionary<string, string[]> { [parameter] = [$"Ogiltigt eller saknat värde för parametern {parameter}."] })
                {
                    Status = bad.StatusCode, Title = "Ogiltig begäran",
                },
            BadHttpRequestException bad => Problem(bad.StatusCode, "Ogiltig begäran", null),
            // Never returned as data: a value that fails authentication was moved or altered in the database.
            CiphertextTamperedException => Problem(StatusCodes.Status500InternalServerError, "Uppgifterna kunde inte läsas", "Lagrade uppgifter har ändrats utanför systemet.", ("code", "CiphertextTampered")),
            DataKeyUnavailableException => Problem(StatusCodes.Status500InternalServerError, "Uppgifterna kunde inte läsas", "Krypteringsnyckeln saknas.", ("code", "DataKeyUnavailable")),
            _ => Problem(StatusCodes.Status500InternalServerError, "Ett oväntat fel inträffade", null),
        };
        if (problem.Status >= 500) logger.LogError(exception, "Unhandled exception for {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary>The parameter named by minimal APIs' binding failures: <c>Failed to bind parameter "CaseState? state" from "…".</c>
    /// and <c>Required parameter "int page" was not provided from query string.</c></summary>
    private static string? ParameterOf(string message) =>
        BindingFailure().Match(message) is { Success: true } match ? match.Groups["name"].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex("""^(?:Failed to bind parameter|Required parameter) "[^"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)"(?: from| was not provided)""")]
    private static partial System.Text.RegularExpressions.Regex BindingFailure();

    private static ProblemDetails Problem(int status, string title, string? detail, params (string Key, object? Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return problem;
    }
}
