using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>
/// Maps the exceptions that have a meaning for the client to ProblemDetails, each explicitly; anything else is
/// a 500 without details (the log has them, the response never does).
/// </summary>
public sealed class ExceptionHandler(IProblemDetailsService problemDetails, ILogger<ExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title) = exception switch
        {
            DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, "Någon annan har ändrat uppgifterna. Läs om och försök igen."),
            BadHttpRequestException bad => (bad.StatusCode, "Ogiltig begäran"),
            _ => (StatusCodes.Status500InternalServerError, "Ett oväntat fel inträffade"),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled exception for {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = status;
        var context = new ProblemDetailsContext { HttpContext = http, Exception = exception, ProblemDetails = { Status = status, Title = title } };
        // A body that does not bind names the offending JSON member (never its value).
        if (exception is BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { } path } })
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [path.TrimStart('$', '.')] = ["Okänt fält eller fel typ av värde."],
            };
        return await problemDetails.TryWriteAsync(context);
    }
}
