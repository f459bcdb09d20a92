using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Me;

/// <summary>GET /api/me/notifications?page=&amp;pageSize=: the caller's in-app notifications, newest first (case number and task only).</summary>
public static class ListNotifications
{
    public sealed record NotificationView(Guid Id, string Text, Guid? CaseId, Guid? ConcernReportId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/me/notifications", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Ok<PagedList<NotificationView>>> Handle(
        ClaimsPrincipal principal, SspfDbContext db, CancellationToken ct, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var userId = principal.UserId();
        var mine = db.Set<Notification>().Where(n => n.UserId == userId);
        var total = await mine.CountAsync(ct);
        var items = await mine.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(n => new NotificationView(n.Id, n.Text, n.CaseId, n.ConcernReportId, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new PagedList<NotificationView>(items, paging.Page, paging.PageSize, total));
    }
}
