using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>/api/audit (Granskare): the access log and its verification.</summary>
public static class AuditEndpoints
{
    public sealed record EventView(
        Guid Id, long Sequence, DateTimeOffset At, Guid? ActorUserId, string Roles, string? Party, Guid? MunicipalityId,
        string Action, Guid? CaseId, string? EntityType, Guid? EntityId, string Categories, string? Purpose, string Decision,
        string CorrelationId);

    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit");
        audit.MapGet("/verify", Verify).RequireAuthorization(Policies.Auditor);
        audit.MapGet("/events", ListEvents).RequireAuthorization(Policies.Auditor);
    }

    /// <summary>GET /api/audit/verify → {valid, checkedEvents, firstBrokenEventId?}.</summary>
    private static async Task<Ok<AuditVerification>> Verify(SspfDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await AuditVerifier.VerifyAsync(db, ct));

    /// <summary>GET /api/audit/events?caseId=&amp;userId=&amp;from=&amp;to=&amp;page=&amp;pageSize=, in log order.</summary>
    private static async Task<Ok<PagedList<EventView>>> ListEvents(
        SspfDbContext db, CancellationToken ct, Guid? caseId = null, Guid? userId = null, DateTimeOffset? from = null,
        DateTimeOffset? to = null, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var query = db.AccessEvents.AsNoTracking();
        if (caseId is { } c) query = query.Where(e => e.CaseId == c);
        if (userId is { } u) query = query.Where(e => e.ActorUserId == u);
        if (from is { } f) query = query.Where(e => e.At >= f);
        if (to is { } t) query = query.Where(e => e.At < t);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(e => e.Sequence).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<EventView>(items.Select(e => new EventView(
            e.Id, e.Sequence, e.At, e.ActorUserId, e.Roles, e.Party, e.MunicipalityId, e.Action.ToString(), e.CaseId,
            e.EntityType, e.EntityId, e.Categories, e.Purpose, e.Decision.ToString(), e.CorrelationId)).ToList(), paging.Page, paging.PageSize, total));
    }
}
