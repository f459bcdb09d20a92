using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Infrastructure.Audit;

namespace SspfSamordning.Api.Infrastructure.Web;

/// <summary>
/// The pages' side of the API's <see cref="AuditFilter"/>: on a page marked <see cref="AuditedPageAttribute"/>, after its
/// handler ran and before anything is rendered, logs what the person got — the reads the use case reported, or a Refused
/// event for a 404/403 — with <see cref="AuditFilter.EventsFor"/>, the same rule as the API's. A page that is rendered
/// shows its record whatever the method and status: a refused form (400, 409, or 200 with its messages) is the page again
/// and is logged as its GET is. If the log cannot be written the exception propagates and the person gets the 500 page
/// instead of the data.
/// </summary>
public sealed class PageAuditFilter(IAuditContext audit, AuditLog log) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (context.ActionDescriptor.EndpointMetadata.OfType<AuditedPageAttribute>().FirstOrDefault() is not { } audited
            || executed.Exception is not null && !executed.ExceptionHandled)
            return;
        var http = context.HttpContext;
        var status = executed.Result switch
        {
            IStatusCodeActionResult { StatusCode: { } code } => code,
            _ => http.Response.StatusCode,
        };
        var routeId = http.Request.RouteValues.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var id) ? id : (Guid?)null;
        var rendered = executed.Result is PageResult;
        await log.AppendAsync(AuditFilter.EventsFor(audit, status, rendered, rendered, audited.EntityType, routeId), http.RequestAborted);
    }
}

/// <summary>A page that shows or changes case data: <see cref="PageAuditFilter"/> logs every request to it.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AuditedPageAttribute(string entityType = AuditFilter.Case) : Attribute
{
    public string EntityType { get; } = entityType;
}
