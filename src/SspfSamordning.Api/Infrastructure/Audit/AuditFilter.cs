using Microsoft.AspNetCore.Http.Metadata;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// On the case and concern report groups: after the handler ran and before its result is written, logs what the
/// caller got — the cases the handler reported (<see cref="IAuditContext.Read"/>), else the one in the route of a
/// successful GET — or a Refused event for a 403 or 404. If the log cannot be written the exception propagates and
/// the caller gets a 500 instead of the data.
/// </summary>
public sealed class AuditFilter(string entityType) : IEndpointFilter
{
    public const string Case = "Case";
    public const string ConcernReport = "ConcernReport";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var audit = http.RequestServices.GetRequiredService<IAuditContext>();
        var routeId = http.Request.RouteValues.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var id) ? id : (Guid?)null;
        Guid? caseId = entityType == Case ? routeId : null;
        object? result;
        try
        {
            result = await next(context);
        }
        catch (DomainNotFoundException)
        {
            // Answered 404 by the exception handler: still a refused attempt.
            await http.RequestServices.GetRequiredService<AuditLog>().AppendAsync(
                audit.NewEvent(AuditAction.Refused, AuditDecision.Refused, caseId, entityType, routeId), http.RequestAborted);
            throw;
        }
        var status = StatusOf(result) ?? http.Response.StatusCode;
        // An API answer shows data only when it succeeds (a 400 or 409 is ProblemDetails), the route's record only to a GET.
        var shown = status is >= 200 and < 300;
        await http.RequestServices.GetRequiredService<AuditLog>().AppendAsync(
            EventsFor(audit, status, shown, shown && HttpMethods.IsGet(http.Request.Method), entityType, routeId), http.RequestAborted);
        return result;
    }

    /// <summary>
    /// What a request on case data leaves in the log, by its answer: a Refused event for 403/404; else, when the answer
    /// shows data (<paramref name="shown"/>), the reads the handler reported, or, when it shows the record in the route
    /// (<paramref name="showsRouteRecord"/>), a Read of that record. Shared by the API's endpoints (this filter: a 2xx
    /// answer, the route's record to a GET) and the web pages (<see cref="Web.PageAuditFilter"/>: a rendered page, whatever
    /// its status — a refused form is the page again, with the record in it).
    /// </summary>
    public static List<AccessEvent> EventsFor(IAuditContext audit, int status, bool shown, bool showsRouteRecord, string entityType, Guid? routeId)
    {
        Guid? caseId = entityType == Case ? routeId : null;
        var events = new List<AccessEvent>();
        if (status is StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
            events.Add(audit.NewEvent(AuditAction.Refused, AuditDecision.Refused, caseId, entityType, routeId));
        else if (shown && audit.Reads.Count > 0)
            events.AddRange(audit.Reads);
        else if (shown && showsRouteRecord && routeId is not null)
            events.Add(audit.NewEvent(AuditAction.Read, caseId: caseId, entityType: entityType, entityId: routeId));
        return events;
    }

    private static int? StatusOf(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return (result as IStatusCodeHttpResult)?.StatusCode;
    }
}
