using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Retention;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>/api/audit (Granskare): the access log of the Granskare's municipalities, its verification and checkpoints, and the loggkontroll reports.</summary>
public static class AuditEndpoints
{
    public sealed record EventView(
        Guid Id, int Stripe, long Sequence, DateTimeOffset At, Guid? ActorUserId, string Roles, string? Party, Guid? MunicipalityId,
        string Action, Guid? CaseId, string? EntityType, Guid? EntityId, string Categories, string? Purpose, string Decision,
        string CorrelationId);

    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit");
        // Loggkontroll is itself logged: every successful query (GET) of the log.
        audit.AddEndpointFilter<AuditQueryFilter>();
        audit.MapGet("/verify", Verify).RequireAuthorization(Policies.Auditor);
        audit.MapGet("/events", ListEvents).RequireAuthorization(Policies.Auditor);
        AuditCheckpoints.Map(audit);
        NonMemberAccess.Map(audit);
        VolumeOutliers.Map(audit);
    }

    /// <summary>The order the log is listed in: time, then stripe and sequence (one case's events are one stripe's, in order).</summary>
    public static IOrderedQueryable<AccessEvent> InLogOrder(this IQueryable<AccessEvent> events) =>
        events.OrderBy(e => e.At).ThenBy(e => e.Stripe).ThenBy(e => e.Sequence);

    public static EventView View(AccessEvent e) => new(
        e.Id, e.Stripe, e.Sequence, e.At, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(), e.CaseId,
        e.EntityType, e.EntityId, e.Categories, e.Purpose, e.Decision.ToString(), e.CorrelationId);

    /// <summary>
    /// GET /api/audit/verify?checkpointStripe=&amp;checkpointSequence=&amp;checkpointHash=&amp;checkpointAt= → {valid, checkedEvents,
    /// firstBrokenEventId?, problem?}. Every stripe's chain (they span municipalities); the optional checkpoint is one exported
    /// earlier and kept elsewhere (its stripe, 0 when not given), with the time it was taken (so that one erased before the
    /// retention age is seen).
    /// </summary>
    internal static async Task<Results<Ok<AuditVerification>, ValidationProblem>> Verify(
        SspfDbContext db, TimeProvider time, IOptions<RetentionOptions> retention, CancellationToken ct,
        long? checkpointSequence = null, string? checkpointHash = null, DateTimeOffset? checkpointAt = null, int? checkpointStripe = null)
    {
        if ((checkpointSequence is null) != (checkpointHash is null) || checkpointHash is { Length: not 64 }
            || ((checkpointAt is not null || checkpointStripe is not null) && checkpointSequence is null))
            return Problems.Validation("checkpointHash", "Ange både checkpointSequence och checkpointHash (64 hexadecimala tecken).");
        if (checkpointStripe is < 0 or >= AuditChain.Stripes)
            return Problems.Validation("checkpointStripe", $"Ange en kedja (checkpointStripe) från 0 till {AuditChain.Stripes - 1}.");
        var external = checkpointSequence is { } sequence
            ? new ExternalCheckpoint(sequence, checkpointHash!.ToLowerInvariant(), checkpointAt, (short)(checkpointStripe ?? 0)) : null;
        return TypedResults.Ok(await AuditVerifier.VerifyAsync(db, ct, external: external,
            erasableBefore: retention.Value.AccessLogErasableBefore(time.GetUtcNow())));
    }

    /// <summary>
    /// GET /api/audit/events?caseId=&amp;userId=&amp;from=&amp;to=&amp;page=&amp;pageSize=, in time order (then stripe and sequence: each
    /// stripe's chain is ordered, the stripes are not ordered among themselves): by case, by user, by period.
    /// </summary>
    internal static async Task<Ok<PagedList<EventView>>> ListEvents(
        SspfDbContext db, ClaimsPrincipal principal, CancellationToken ct, Guid? caseId = null, Guid? userId = null, DateTimeOffset? from = null,
        DateTimeOffset? to = null, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var query = db.AccessEvents.AsNoTracking().ForAuditor(db, principal);
        if (caseId is { } c) query = query.Where(e => e.CaseId == c);
        if (userId is { } u) query = query.Where(e => e.ActorUserId == u);
        if (from is { } f) query = query.Where(e => e.At >= f);
        if (to is { } t) query = query.Where(e => e.At < t);
        var total = await query.CountAsync(ct);
        var items = await query.InLogOrder().Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<EventView>(items.Select(View).ToList(), paging.Page, paging.PageSize, total));
    }
}
