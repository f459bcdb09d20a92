using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Audit;

/// <summary>
/// Appends events that belong to no change of data — reads, refusals, authentication — in a unit of work of their
/// own, so that nothing else the request tracked is saved with them. Changes are logged by the DbContext's save.
/// </summary>
/// <remarks>
/// Group commit: appends are serialized by the chain's lock, and each commit waits for the database's log flush, so
/// one transaction per request caps the whole process at one flush per request. Instead, events that arrive while
/// a batch is being written wait, and the next transaction appends all of them (one lock, one head read, one flush).
/// Every caller still returns only once its own events are committed; if a batch fails, its appends are retried one
/// by one so that each caller gets its own outcome.
/// </remarks>
public sealed class AuditLog(IServiceScopeFactory scopes)
{
    private sealed record Pending(IReadOnlyCollection<AccessEvent> Events, TaskCompletionSource Done);

    private readonly Lock gate = new();
    private List<Pending> queue = [];
    private bool writing;

    public Task AppendAsync(IReadOnlyCollection<AccessEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return Task.CompletedTask;
        var pending = new Pending(events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (gate)
        {
            queue.Add(pending);
            lead = !writing;
            writing = true;
        }
        if (lead)
        {
            // The writer serves every request's events: it must not carry this request's context (HttpContext, activity).
            using (ExecutionContext.SuppressFlow()) _ = Task.Run(WriteQueueAsync, CancellationToken.None);
        }
        // The append itself is not cancelled with the request: once queued, it is written.
        return pending.Done.Task.WaitAsync(ct);
    }

    public Task AppendAsync(AccessEvent e, CancellationToken ct) => AppendAsync([e], ct);

    private async Task WriteQueueAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (gate)
            {
                if (queue.Count == 0)
                {
                    writing = false;
                    return;
                }
                batch = queue;
                queue = [];
            }
            try
            {
                await WriteAsync(batch.SelectMany(p => p.Events));
                foreach (var p in batch) p.Done.TrySetResult();
            }
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var p in batch) await WriteAloneAsync(p);
            }
            catch (Exception e)
            {
                batch[0].Done.TrySetException(e);
            }
        }
    }

    private async Task WriteAloneAsync(Pending p)
    {
        try
        {
            await WriteAsync(p.Events);
            p.Done.TrySetResult();
        }
        catch (Exception e)
        {
            p.Done.TrySetException(e);
        }
    }

    /// <summary>
    /// One transaction: the stripes' locks and heads, the events linked to them and inserted directly (not tracked: the
    /// events are all this unit of work writes), the commit (on PostgreSQL in the INSERT's round trip).
    /// </summary>
    private async Task WriteAsync(IEnumerable<AccessEvent> events)
    {
        var ct = CancellationToken.None;
        var list = events.ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await AuditChain.LinkAsync(db, list, ct);
        await AccessEventRows.InsertAsync(db, list, commit: transaction, ct);
    }
}
