using System.Diagnostics;
using System.Security.Claims;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>Who acts, for the access log: the signed-in caller of the request, or the system (jobs, start-up).</summary>
public interface IAuditContext
{
    AccessEvent NewEvent(AuditAction action, AuditDecision decision = AuditDecision.Allowed, Guid? caseId = null,
        string? entityType = null, Guid? entityId = null, string categories = "", Guid? actorUserId = null, string? purpose = null);

    /// <summary>What the handler returned of case data; the audit filter logs it before the response is written.</summary>
    IReadOnlyList<AccessEvent> Reads { get; }

    /// <summary>Called by a handler for each case it returns (each case of a list or search result).</summary>
    void Read(AuditAction action, Guid caseId, IEnumerable<object>? categories = null);

    /// <summary>The same for a record that is not a case (a concern report), with the case it belongs to, if any.</summary>
    void ReadRecord(AuditAction action, string entityType, Guid entityId, Guid? caseId);
}

/// <summary>Scoped: filled from the request's <see cref="ClaimsPrincipal"/>; without a request, the system actor.</summary>
public sealed class AuditContext(IHttpContextAccessor http, TimeProvider time) : IAuditContext
{
    private readonly List<AccessEvent> reads = [];

    public IReadOnlyList<AccessEvent> Reads => reads;

    public void Read(AuditAction action, Guid caseId, IEnumerable<object>? categories = null) =>
        reads.Add(NewEvent(action, caseId: caseId, entityType: "Case", entityId: caseId, categories: Join(categories)));

    public void ReadRecord(AuditAction action, string entityType, Guid entityId, Guid? caseId) =>
        reads.Add(NewEvent(action, caseId: caseId, entityType: entityType, entityId: entityId));

    public AccessEvent NewEvent(AuditAction action, AuditDecision decision = AuditDecision.Allowed, Guid? caseId = null,
        string? entityType = null, Guid? entityId = null, string categories = "", Guid? actorUserId = null, string? purpose = null)
    {
        var context = http.HttpContext;
        var user = context?.User;
        var signedIn = user?.Identity?.IsAuthenticated == true;
        var municipalities = signedIn ? user!.Municipalities() : [];
        return new AccessEvent
        {
            At = AccessEvent.Instant(time.GetUtcNow()),
            ActorUserId = signedIn ? user!.UserId() : actorUserId,
            Roles = signedIn ? string.Join(",", user!.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)) : context is null ? "System" : "",
            Party = signedIn ? user!.FindFirstValue(SspfClaims.Party) : null,
            MunicipalityId = municipalities.Count == 1 ? municipalities[0] : null,
            Action = action,
            CaseId = caseId,
            EntityType = entityType,
            EntityId = entityId,
            Categories = categories,
            Purpose = purpose,
            Decision = decision,
            CorrelationId = Activity.Current?.TraceId.ToString() ?? context?.TraceIdentifier ?? "",
        };
    }

    private static string Join(IEnumerable<object>? categories) =>
        categories is null ? "" : string.Join(",", categories.Select(c => c.ToString()).Order(StringComparer.Ordinal));
}
