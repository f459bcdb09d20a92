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
    private Actor? actor;

    public IReadOnlyList<AccessEvent> Reads => reads;

    public void Read(AuditAction action, Guid caseId, IEnumerable<object>? categories = null) =>
        reads.Add(NewEvent(action, caseId: caseId, entityType: "Case", entityId: caseId, categories: Join(categories)));

    public void ReadRecord(AuditAction action, string entityType, Guid entityId, Guid? caseId) =>
        reads.Add(NewEvent(action, caseId: caseId, entityType: entityType, entityId: entityId));

    public AccessEvent NewEvent(AuditAction action, AuditDecision decision = AuditDecision.Allowed, Guid? caseId = null,
        string? entityType = null, Guid? entityId = null, string categories = "", Guid? actorUserId = null, string? purpose = null)
    {
        var context = http.HttpContext;
        var actor = ActorOf(context?.User);
        return new AccessEvent
        {
            At = AccessEvent.Instant(time.GetUtcNow()),
            ActorUserId = actor?.UserId ?? actorUserId,
            Roles = actor?.Roles ?? (context is null ? "System" : ""),
            Party = actor?.Party,
            MunicipalityId = actor?.MunicipalityId,
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

    /// <summary>The signed-in caller's fields of an event, read from the claims once per principal, not once per event: a
    /// list of 25 cases logs 25 events (bench/results/load.md, "Round nine (issue 22, listmem)"). Keyed by the principal's
    /// instance, so a request whose user changes (a sign-in) gets the new user's fields; scoped, so it dies with the request.</summary>
    private Actor? ActorOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return null;
        if (actor?.Principal != user)
        {
            var municipalities = user.Municipalities();
            actor = new Actor(user, user.UserId(), string.Join(",", user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)),
                user.FindFirstValue(SspfClaims.Party), municipalities.Count == 1 ? municipalities[0] : null);
        }
        return actor;
    }

    private sealed record Actor(ClaimsPrincipal Principal, Guid UserId, string Roles, string? Party, Guid? MunicipalityId);

    private static string Join(IEnumerable<object>? categories) =>
        categories is null ? "" : string.Join(",", categories.Select(c => c.ToString()).Order(StringComparer.Ordinal));
}
