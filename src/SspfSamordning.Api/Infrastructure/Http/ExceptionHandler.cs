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
public sealed class ExceptionHandler(IProblemDetailsService problemDetails, ILogger<ExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
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

    private static ProblemDetails Problem(int status, string title, string? detail, params (string Key, object? Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return problem;
    }
}
