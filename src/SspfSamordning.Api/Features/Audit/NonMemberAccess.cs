using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>
/// GET /api/audit/reports/non-member-access?from=&amp;to=&amp;page=&amp;pageSize= (loggkontroll): reads of case data
/// (read, list, search) by a user who was not a member of the case's team at that moment and is not its coordinator —
/// one query, in log order. Each read is judged by the membership periods (<see cref="MembershipPeriod"/>) at its time:
/// a member's reads before their removal are member reads, a read after it (or before they were added) is not.
/// </summary>
public static class NonMemberAccess
{
    public static void Map(RouteGroupBuilder audit) =>
        audit.MapGet("/reports/non-member-access", Handle).RequireAuthorization(Policies.Auditor);

    internal static async Task<Ok<PagedList<AuditEndpoints.EventView>>> Handle(
        SspfDbContext db, ClaimsPrincipal principal, CancellationToken ct,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var query = db.AccessEvents.AsNoTracking().ForAuditor(db, principal).CaseReads()
            .Where(e => e.ActorUserId != null
                && !db.Cases.Any(c => c.Id == e.CaseId && c.CoordinatorUserId == e.ActorUserId)
                && !db.Set<MembershipPeriod>().Any(m => EF.Property<Guid>(m, Aggregates.CaseId) == e.CaseId && m.UserId == e.ActorUserId
                    && m.From <= e.At && (m.Until == null || m.Until > e.At)));
        if (from is { } f) query = query.Where(e => e.At >= f);
        if (to is { } t) query = query.Where(e => e.At < t);
        var total = await query.CountAsync(ct);
        var items = await query.InLogOrder().Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        return TypedResults.Ok(new PagedList<AuditEndpoints.EventView>(items.Select(AuditEndpoints.View).ToList(), paging.Page, paging.PageSize, total));
    }
}
