using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Reminders;

public static class ReminderSteps
{
    /// <summary>What the scheduled job does, on the factory's clock, in a scope of its own.</summary>
    public static async Task<ReminderDispatcher.Result> DispatchAsync(this SspfApiFactory factory, CancellationToken ct = default)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(ct);
    }

    public static async Task<T> QueryAsync<T>(this SspfApiFactory factory, Func<SspfDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<SspfDbContext>());
    }

    /// <summary>The newest deadline of <paramref name="kind"/> of a case or concern report.</summary>
    public static Task<Deadline> DeadlineAsync(this SspfApiFactory factory, DeadlineKind kind, Guid ownerId) =>
        factory.QueryAsync(db => db.Set<Deadline>().AsNoTracking()
            .Where(d => d.Kind == kind && (EF.Property<Guid?>(d, Aggregates.CaseId) == ownerId || EF.Property<Guid?>(d, Aggregates.ConcernReportId) == ownerId))
            .OrderByDescending(d => d.CreatedAt).FirstAsync());

    /// <summary>The notifications of a deadline, reminder first.</summary>
    public static async Task<List<Notification>> NotificationsAsync(this SspfApiFactory factory, Guid deadlineId) =>
        [.. (await factory.QueryAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.DeadlineId == deadlineId).ToListAsync())).OrderBy(n => n.Step)];
}
