using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// The one database of the system. The model is provider-neutral; each provider has a subclass
/// (<see cref="SqliteSspfDbContext"/>, <see cref="PostgresSspfDbContext"/>, <see cref="SqlServerSspfDbContext"/>) only so that each
/// keeps its own migration set.
/// </summary>
public abstract class SspfDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options)
{
    /// <summary>The audit context of the scope the context serves while it is rented from the pool (<see cref="Serve"/>).</summary>
    private IAuditContext? audit;

    /// <summary>Binds a context just rented from the pool to the audit context of the scope that asked for it, until the context is disposed.</summary>
    internal SspfDbContext Serve(IAuditContext? scopeAudit)
    {
        audit = scopeAudit;
        return this;
    }

    /// <summary>
    /// Who acts, for the events a save records from the change (<see cref="ChangeAudit"/>) and an erasure's event: the
    /// audit context of the scope the context serves (the request's caller; the system in a job); the system's when the
    /// context serves none (design time, tools). Not found through the options' application service provider: pooled
    /// contexts share options built once per process (<see cref="Database"/>), whose provider is the root, where a
    /// scoped service must not be resolved.
    /// </summary>
    internal IAuditContext Audit => audit ??= new AuditContext(new HttpContextAccessor(), TimeProvider.System);

    public DbSet<Municipality> Municipalities => Set<Municipality>();
    public DbSet<PartyUnit> PartyUnits => Set<PartyUnit>();
    public DbSet<AuthSession> AuthSessions => Set<AuthSession>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<ConcernReport> ConcernReports => Set<ConcernReport>();
    public DbSet<CaseNumberCounter> CaseNumberCounters => Set<CaseNumberCounter>();
    public DbSet<AccessEvent> AccessEvents => Set<AccessEvent>();
    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SspfDbContext).Assembly);
        builder.AddDataKeys();
        // OpenIddict's applications, authorizations, scopes and tokens (OpenIdServer), keyed by Guid like the rest; the
        // token row names the session an API access token acts for (SspfToken).
        builder.UseOpenIddict<SspfApplication, SspfAuthorization, SspfScope, SspfToken, Guid>();
        // The domain assigns every id itself: EF must treat a new child with an id as new, not as existing.
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => e.ClrType.Namespace?.StartsWith("SspfSamordning.Domain", StringComparison.Ordinal) == true))
            if (entity.FindPrimaryKey() is { Properties: [{ Name: "Id" } id] })
                id.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        using var _ = DetectChangesOnce();
        Aggregates.AssignKeyOwners(ChangeTracker);
        Aggregates.BumpVersions(ChangeTracker);
        if (PendingAccessEvents().Count > 0 || ChangeTracker.Entries().Any(e => e.Entity is Case or ConcernReport && e.State != EntityState.Unchanged))
            throw new InvalidOperationException("Audited changes are saved with SaveChangesAsync, which links them to the access log.");
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Scans the tracked entities for changes once, then turns automatic detection off until the save is over: every
    /// step of a save (key owners, versions, change audit, encryption, EF's own save) asks the change tracker for its
    /// entries, and each such call scanned the whole aggregate again (profiled: about a dozen scans per save). Whatever
    /// those steps change, they change through the change tracker, which needs no scan to see it.
    /// </summary>
    private AutoDetectChangesRestorer DetectChangesOnce()
    {
        var restorer = new AutoDetectChangesRestorer(ChangeTracker, ChangeTracker.AutoDetectChangesEnabled);
        if (restorer.Enabled) ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        return restorer;
    }

    /// <summary>
    /// The entry of an entity this context tracks, without the scan for changes that <see cref="DbContext.Entry{TEntity}"/>
    /// makes first: for reading what was loaded (a shadow property) before anything is changed — the save scans once
    /// anyway (<see cref="DetectChangesOnce"/>). Issue 22: the Reopen's read of the case's blind index scanned the case and
    /// its twelve navigations, about 1 % of a transition's API CPU (bench/results/load.md, "Round thirteen (issue 22, saveprep)").
    /// </summary>
    internal Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<TEntity> EntryAsLoaded<TEntity>(TEntity entity) where TEntity : class
    {
        using var _ = new AutoDetectChangesRestorer(ChangeTracker, ChangeTracker.AutoDetectChangesEnabled);
        ChangeTracker.AutoDetectChangesEnabled = false;
        return Entry(entity);
    }

    private readonly record struct AutoDetectChangesRestorer(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker Tracker, bool Enabled) : IDisposable
    {
        public void Dispose() => Tracker.AutoDetectChangesEnabled = Enabled;
    }

    /// <summary>
    /// Every change of case data is logged in the same transaction as the change (security.md, "Audit"). EF saves the
    /// change first, without accepting it; then the events handlers added and those <see cref="ChangeAudit"/> records from
    /// the change are linked to their chains and inserted directly (<see cref="AccessEventRows"/>), not through EF's change
    /// tracker and update pipeline (issue 22, round seven). In that order the stripes' locks are held for the events'
    /// INSERT and the commit only, not for EF's save as well (round eight) — on PostgreSQL one round trip, the INSERT and
    /// the COMMIT of our own transaction in one batch (round eleven): every other append to a stripe waits for them. No
    /// taker of a stripe's lock waits for a row lock or a one-open-case lock while it holds it (appends insert new events
    /// only; a checkpoint inserts checkpoints; gallring erases old events), so a change that holds those
    /// before it asks for the stripes' locks cannot deadlock with one. All of it or none of it: in a transaction of our
    /// own, or in the caller's under one savepoint that a failed save rolls back to (none when the caller turned
    /// savepoints off: it rolls back itself). The change is accepted only once all of it is written (and committed, in
    /// our own transaction), so a save that fails at any step leaves the entities as they were, for a retry; the
    /// handlers' events are tracked again unless the save succeeded and was accepted, so a retried save writes them then;
    /// the recorded ones are recorded afresh from the change.
    /// </summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        SaveAsync(acceptAllChangesOnSuccess, commitCallers: false, cancellationToken);

    /// <summary>
    /// Saves as <see cref="SaveChangesAsync(bool, CancellationToken)"/> does, then commits the caller's transaction too,
    /// if there is one: on PostgreSQL in the events' INSERT's round trip (<see cref="AccessEventRows.InsertAsync"/>), so
    /// a unit of work that ends with its save (a transition, an opening) spends no round trip of its own on the commit,
    /// while the stripes' locks are held. The caller then only disposes its transaction: committed (or, after a
    /// failure, rolled back by the dispose) it must not be committed again. No savepoint: a failure here ends the unit
    /// of work, and the entities stay unaccepted.
    /// </summary>
    public Task<int> SaveChangesAndCommitAsync(CancellationToken cancellationToken) =>
        SaveAsync(acceptAllChangesOnSuccess: true, commitCallers: true, cancellationToken);

    private async Task<int> SaveAsync(bool acceptAllChangesOnSuccess, bool commitCallers, CancellationToken cancellationToken)
    {
        using var _ = DetectChangesOnce();
        Aggregates.AssignKeyOwners(ChangeTracker);
        Aggregates.BumpVersions(ChangeTracker);
        var added = PendingAccessEvents();
        var recorded = ChangeAudit.Record(ChangeTracker, Audit);
        var caller = Database.CurrentTransaction;
        // Nothing for the log: EF's save alone — unless the caller's transaction is to be committed too, which the path
        // below does (with no event, its INSERT's round trip carries the COMMIT alone).
        if (added.Count == 0 && recorded.Count == 0 && !(commitCallers && caller is not null))
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        List<AccessEvent> events = [.. added, .. recorded];
        foreach (var e in added) Entry(e).State = EntityState.Detached;
        var savepoints = Database.AutoSavepointsEnabled;
        var savepoint = caller is { SupportsSavepoints: true } && savepoints && !commitCallers;
        // Ours covers the change and the events; EF's own (two more round trips) would cover the change alone, and in our
        // own transaction a failed save rolls all of it back anyway.
        Database.AutoSavepointsEnabled = false;
        var accepted = false;
        try
        {
            await using var own = caller is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
            if (savepoint) await caller!.CreateSavepointAsync(ChangeSavepoint, cancellationToken);
            try
            {
                var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
                await AuditChain.LinkAsync(this, events, cancellationToken);
                await AccessEventRows.InsertAsync(this, events, commit: own ?? (commitCallers ? caller : null), cancellationToken);
                if (savepoint) await caller!.ReleaseSavepointAsync(ChangeSavepoint, cancellationToken);
                if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
                accepted = acceptAllChangesOnSuccess;
                return saved + events.Count;
            }
            catch when (savepoint)
            {
                await caller!.RollbackToSavepointAsync(ChangeSavepoint, CancellationToken.None);
                throw;
            }
        }
        finally
        {
            Database.AutoSavepointsEnabled = savepoints;
            if (!accepted) AccessEvents.AddRange(added);
        }
    }

    private const string ChangeSavepoint = "sspf_audited_change";

    /// <summary>Before a pooled context goes back to the pool (inside base.Dispose): the scope's audit context and key ring are forgotten.</summary>
    public override void Dispose()
    {
        audit = null;
        KeyRings.Release(this);
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        audit = null;
        KeyRings.Release(this);
        return base.DisposeAsync();
    }

    private List<AccessEvent> PendingAccessEvents() =>
        ChangeTracker.Entries<AccessEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(64);
    }
}

/// <summary>SQLite has no date type: instants are stored as UTC ticks, so that they sort and compare correctly whatever offset the code used.</summary>
public sealed class SqliteSspfDbContext(DbContextOptions<SqliteSspfDbContext> options) : SspfDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}

/// <summary>PostgreSQL's timestamptz takes UTC only: instants in Swedish local time (deadlines at the end of a working day) are converted.</summary>
public sealed class PostgresSspfDbContext(DbContextOptions<PostgresSspfDbContext> options) : SspfDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
    }
}

/// <summary>
/// SQL Server's datetimeoffset keeps the offset it is given; instants are stored in UTC, as on PostgreSQL, so that a row
/// reads back the same whichever provider wrote it.
/// </summary>
public sealed class SqlServerSspfDbContext(DbContextOptions<SqlServerSspfDbContext> options) : SspfDbContext(options)
{
    /// <summary>The trigger db/roles-sqlserver.sql puts on the checkpoints (only head checkpoints on the chain from the app).</summary>
    public const string CheckpointTrigger = "sspf_checkpoints_head_on_chain";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // EF must know of the trigger: SQL Server refuses an OUTPUT clause (without INTO) on a table with triggers.
        builder.Entity<AuditCheckpoint>().ToTable(t => t.HasTrigger(CheckpointTrigger));
        foreach (var property in ExactlyCompared(builder.Model)) property.SetCollation(ExactCollation);
    }

    /// <summary>
    /// The collation of every string the application finds rows by (db/README.md, "Collations"): code-point equality, as
    /// PostgreSQL's deterministic collations and SQLite's BINARY compare. SQL Server's usual default
    /// (SQL_Latin1_General_CP1_CI_AS, or any _CI_/_AI_ collation) would make a blind index, a token hash, an HSA-id, a
    /// federated subject or a case number match another that differs only in case or accent — a lookup that finds the
    /// wrong person's row, or a unique index that refuses a legitimate one.
    /// </summary>
    public const string ExactCollation = "Latin1_General_100_BIN2";

    /// <summary>
    /// The string columns the application looks rows up by: every one in an index or a primary key. Columns of a foreign
    /// key (either end) keep the database's collation — SQL Server requires both ends to match and they hold ids the
    /// application generates (GUIDs in text), never what a person typed.
    /// </summary>
    public static IEnumerable<Microsoft.EntityFrameworkCore.Metadata.IMutableProperty> ExactlyCompared(Microsoft.EntityFrameworkCore.Metadata.IMutableModel model) =>
        model.GetEntityTypes()
            .SelectMany(e => e.GetIndexes().SelectMany(i => i.Properties).Concat(e.FindPrimaryKey()?.Properties ?? []))
            .Where(p => (p.GetValueConverter()?.ProviderClrType ?? p.GetProviderClrType() ?? p.ClrType) == typeof(string)
                && !p.IsForeignKey() && !p.GetContainingKeys().Any(k => k.GetReferencingForeignKeys().Any()))
            .Distinct();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
    }
}

/// <summary>Instants converted to UTC on the way in (PostgreSQL's timestamptz, SQL Server's datetimeoffset).</summary>
internal sealed class UtcConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, DateTimeOffset>(
    v => v.ToUniversalTime(), v => v);
