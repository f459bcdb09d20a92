using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Me;

/// <summary>POST /api/me/notifications/{id}/read: idempotent (the first read time stays); another user's notification is 404.</summary>
public static class MarkNotificationRead
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/me/notifications/{id:guid}/read", Handle).RequireAuthorization(Policies.CaseReader);

    private static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, CancellationToken ct)
    {
        var userId = principal.UserId();
        var mine = db.Set<Notification>().Where(n => n.Id == id && n.UserId == userId);
        var now = time.GetUtcNow();
        if (await mine.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct) == 0
            && !await mine.AnyAsync(ct))
            return Problems.NotFound();
        return TypedResults.NoContent();
    }
}
