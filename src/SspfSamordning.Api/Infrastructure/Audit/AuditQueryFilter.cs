using Microsoft.AspNetCore.Http.Metadata;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// On the Granskare's queries of the access log (/api/audit, GET): after the handler answered 2xx and before the answer
/// is written, logs one <see cref="AuditAction.AuditQuery"/> event — who looked at whose trail (the case and the user
/// filtered on) with which filter. Only the known filter parameters are written, never the rest of the query string
/// (a caller could put anything there). If the event cannot be written the exception propagates: no answer without it.
/// </summary>
public sealed class AuditQueryFilter : IEndpointFilter
{
    public const string EntityType = "AccessLog";

    /// <summary>The audit endpoints' query parameters: ids, times, numbers and a hash — none can hold personal data once bound.</summary>
    private static readonly string[] FilterParameters =
        ["caseId", "userId", "from", "to", "page", "pageSize", "checkpointSequence", "checkpointHash", "checkpointAt"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method)) return await next(context); // taking a checkpoint reads nothing
        var result = await next(context);
        var inner = result;
        while (inner is INestedHttpResult nested) inner = nested.Result;
        var status = (inner as IStatusCodeHttpResult)?.StatusCode ?? http.Response.StatusCode;
        if (status is < 200 or >= 300) return result; // a refusal is logged by the authorization result handler; a 400 read nothing

        var query = http.Request.Query;
        var filter = string.Join("&", FilterParameters.Where(query.ContainsKey).Select(name => $"{name}={query[name]}"));
        var purpose = filter.Length == 0 ? http.Request.Path.Value! : $"{http.Request.Path.Value}?{filter}";
        var audit = http.RequestServices.GetRequiredService<IAuditContext>();
        var e = audit.NewEvent(AuditAction.AuditQuery, caseId: GuidOf(query["caseId"]), entityType: EntityType,
            entityId: GuidOf(query["userId"]), purpose: purpose.Length <= 256 ? purpose : purpose[..256]);
        await http.RequestServices.GetRequiredService<AuditLog>().AppendAsync(e, http.RequestAborted);
        return result;
    }

    private static Guid? GuidOf(Microsoft.Extensions.Primitives.StringValues value) => Guid.TryParse(value, out var id) ? id : null;
}
