using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// Appends events that belong to no change of data — reads, refusals, authentication — in a unit of work of their
/// own, so that nothing else the request tracked is saved with them. Changes are logged by the DbContext's save.
/// </summary>
public sealed class AuditLog(IServiceScopeFactory scopes)
{
    public async Task AppendAsync(IReadOnlyCollection<AccessEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        db.Set<AccessEvent>().AddRange(events);
        await db.SaveChangesAsync(ct);
    }

    public Task AppendAsync(AccessEvent e, CancellationToken ct) => AppendAsync([e], ct);
}
