using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Shadow properties that keep persistence concerns out of the domain: the owning case or concern report
/// of a child row, and the optimistic-concurrency version of each aggregate root.
/// </summary>
internal static class Aggregates
{
    public const string CaseId = "CaseId";
    public const string ConcernReportId = "ConcernReportId";
    public const string Version = "Version";
    public const string PersonnummerIndex = "YouthPersonnummerIndex";

    /// <summary>
    /// The data key owner of rows that are not direct children of their case (answers, assessments) or that
    /// belong to a case or a concern report (history): the id of the root whose key encrypts them.
    /// </summary>
    public const string KeyOwnerId = "KeyOwnerId";

    /// <summary>
    /// The order of history rows: events of one instant (one request fires several) keep the order the domain
    /// recorded them in. Monotonic per process, and close to wall-clock ticks across processes.
    /// </summary>
    public const string Sequence = "Sequence";
    private static long lastSequence;

    private static long NextSequence()
    {
        long last, next;
        do
        {
            last = Volatile.Read(ref lastSequence);
            next = Math.Max(last + 1, DateTime.UtcNow.Ticks);
        }
        while (Interlocked.CompareExchange(ref lastSequence, next, last) != last);
        return next;
    }

    public static void EncryptWithKeyOf<T>(EntityTypeBuilder<T> b) where T : class
    {
        b.Property<Guid>(KeyOwnerId);
        b.HasEncryptionKeyOwner(KeyOwnerId);
    }

    /// <summary>
    /// Before a save: a new aggregate root gets its data key in the same unit of work, and new rows that carry
    /// <see cref="KeyOwnerId"/> are stamped with their root's id — both before the interceptor encrypts.
    /// </summary>
    public static void AssignKeyOwners(ChangeTracker tracker)
    {
        if (tracker.AutoDetectChangesEnabled) tracker.DetectChanges();
        foreach (var added in tracker.Entries().Where(e => e.State == EntityState.Added && e.Entity is Case or ConcernReport).ToList())
            KeyRings.Of(tracker.Context).CreateFirstKeyIn(tracker.Context, (Guid)added.Property("Id").CurrentValue!);
        foreach (var root in tracker.Entries<Case>().Select(e => e.Entity))
            Stamp(tracker, root.Id, root.Consents.SelectMany(k => k.Answers).Cast<object>()
                .Concat(root.FollowUps.SelectMany(f => f.Assessments)).Concat(root.History));
        foreach (var root in tracker.Entries<ConcernReport>().Select(e => e.Entity))
            Stamp(tracker, root.Id, root.History);
    }

    private static void Stamp(ChangeTracker tracker, Guid ownerId, IEnumerable<object> rows)
    {
        foreach (var row in rows)
        {
            var entry = tracker.Context.Entry(row);
            if (entry.State != EntityState.Added) continue;
            entry.Property(KeyOwnerId).CurrentValue = ownerId;
            if (row is TransitionEvent) entry.Property(Sequence).CurrentValue = NextSequence();
        }
    }

    /// <summary>
    /// <paramref name="root"/>, tracked for a change, with each consent answer and follow-up assessment in it checked by
    /// <see cref="RequireKeyOwner"/> (a change's answer can show them). A read's aggregate is checked as it is read (AggregateRows).
    /// </summary>
    public static Case OwnRowsOnly(this DbContext db, Case root)
    {
        foreach (var row in root.Consents.SelectMany(k => k.Answers).Cast<object>().Concat(root.FollowUps.SelectMany(f => f.Assessments)))
        {
            var entry = db.Entry(row);
            RequireKeyOwner(root.Id, entry.Property(KeyOwnerId).CurrentValue, entry.Metadata.GetTableName()!, KeyOwnerId, entry.Property("Id").CurrentValue!);
        }
        return root;
    }

    /// <summary>
    /// A row loaded as part of case <paramref name="caseId"/> must have that case as its key owner, else it is refused as
    /// tampered: a row moved to this case. The materializer checks each value's key against the row's own stored key
    /// owner; for a consent's answers and a follow-up's assessments that is their <see cref="KeyOwnerId"/>, which moving the
    /// row to another case's consent or follow-up leaves as it was (their parent's foreign key is what ties them to the case),
    /// so their values would decrypt, and be shown, under the other case.
    /// </summary>
    public static void RequireKeyOwner(Guid caseId, object? keyOwner, string table, string keyOwnerColumn, object rowId)
    {
        if (keyOwner is Guid owner && owner == caseId) return;
        throw new CiphertextTamperedException(new FieldLocation(table, keyOwnerColumn, RowIds.Format([rowId])));
    }

    /// <summary>
    /// Any change inside an aggregate bumps its root's version, so two concurrent edits of one case (even of
    /// different children) cannot both commit: the second finds a stale version and answers 409.
    /// </summary>
    public static void BumpVersions(ChangeTracker tracker)
    {
        if (!tracker.HasChanges()) return;
        foreach (var entry in tracker.Entries().Where(e => e.Entity is Case or ConcernReport))
        {
            var version = entry.Property(Version);
            if (entry.State == EntityState.Added) version.CurrentValue = 1L;
            else if (entry.State is EntityState.Unchanged or EntityState.Modified) version.CurrentValue = (long)version.OriginalValue! + 1;
        }
    }
}
