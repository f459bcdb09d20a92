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
        await AppendAsync(http, http.Request.Path.Value!, FilterParameters.Where(query.ContainsKey).Select(name => (name, query[name].ToString())));
        return result;
    }

    /// <summary>
    /// Writes the <see cref="AuditAction.AuditQuery"/> event of one query of the log: <paramref name="path"/> and the
    /// filter's bound values under the API's parameter names (the loggkontroll pages pass theirs, already parsed), the
    /// case and the user filtered on as the event's case and entity.
    /// </summary>
    public static Task AppendAsync(HttpContext http, string path, IEnumerable<(string Name, string Value)> filterValues)
    {
        var values = filterValues.ToList();
        var filter = string.Join("&", values.Select(v => $"{v.Name}={v.Value}"));
        var purpose = filter.Length == 0 ? path : $"{path}?{filter}";
        string? ValueOf(string name) => values.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();
        var audit = http.RequestServices.GetRequiredService<IAuditContext>();
        var e = audit.NewEvent(AuditAction.AuditQuery, caseId: GuidOf(ValueOf("caseId")), entityType: EntityType,
            entityId: GuidOf(ValueOf("userId")), purpose: purpose.Length <= 256 ? purpose : purpose[..256]);
        return http.RequestServices.GetRequiredService<AuditLog>().AppendAsync(e, http.RequestAborted);
    }

    private static Guid? GuidOf(string? value) => Guid.TryParse(value, out var id) ? id : null;
}
