using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// Who may see which case (domain.md, "Access rules"), as one filter composed into every case query so that
/// lists, counts, searches and single reads are decided by the database from the current memberships,
/// consents and disclosures. A case the filter leaves out does not exist for the caller: 404.
/// </summary>
public static class CaseAccess
{
    public static IQueryable<Case> VisibleCases(this SspfDbContext db, Viewer viewer, DateTimeOffset now)
    {
        var cases = db.Cases.AsQueryable();
        if (!viewer.SeesCaseContent) return cases.Where(_ => false);
        var municipalities = viewer.Municipalities;
        // One municipality (nearly every user) as an equality, not "= ANY(array)": then the (MunicipalityId, OpenedAt)
        // index yields a list page already in order, instead of every row of the municipality being sorted.
        if (municipalities.Count == 1)
        {
            var municipality = municipalities[0];
            cases = cases.Where(c => c.MunicipalityId == municipality);
        }
        else cases = cases.Where(c => municipalities.Contains(c.MunicipalityId));
        if (viewer.IsCoordinator) return cases;

        // Driven by the caller's memberships (index on UserId, CaseId): "Id IN (their cases)" is a handful of
        // key lookups however many cases exist, where an EXISTS per case would be probed for every case.
        var userId = viewer.UserId;
        var memberOf = db.Set<CaseMember>().Where(m => m.UserId == userId).Select(m => EF.Property<Guid>(m, Aggregates.CaseId));
        cases = cases.Where(c => memberOf.Contains(c.Id));
        if (viewer.IsSocialServices) return cases;

        // The domain's own definitions (Consent.CoversRule, Disclosure.GrantsRule), translated by EF into the query.
        var covering = Consent.Covering(viewer.Party, now);
        var granting = Disclosure.Granting(userId, now);
        return cases.Where(c => c.Consents.AsQueryable().Any(covering) || c.Disclosures.AsQueryable().Any(granting));
    }

    /// <summary>The information categories of <paramref name="case"/> that <paramref name="viewer"/> may see now.</summary>
    public static IReadOnlySet<InformationCategory> CategoriesFor(Case @case, Viewer viewer, DateTimeOffset now)
    {
        if (viewer.IsSocialServices && @case.IsMember(viewer.UserId)) return Enum.GetValues<InformationCategory>().ToHashSet();
        if (viewer.IsCoordinator)
            return Enum.GetValues<InformationCategory>().Where(c => c != InformationCategory.SocialServicesInternal).ToHashSet();
        return @case.VisibleCategories(viewer.UserId, viewer.Party, now);
    }

    /// <summary>
    /// The whole aggregate, tracked, for a change — or null when the caller may not see the case. Open
    /// deadlines only (closed ones never change again) and no history (new events are only appended).
    /// </summary>
    public static async Task<Case?> LoadForChangeAsync(this SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct)
    {
        if (!await IsVisibleAsync(db, caseId, viewer, now, ct)) return null;
        return await WithChildren(db.Cases.Where(c => c.Id == caseId))
            .Include(c => c.Deadlines.Where(d => d.State == DeadlineState.Open)).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// What <paramref name="trigger"/> (Close or Reopen) touches, tracked — or null when the caller may not see the case.
    /// Close: the case row (with the youth), its open follow-ups (it cancels them) and its open deadlines (it cancels
    /// them), in one statement. Reopen: the case row alone (the youth's personnummer for the one-open-case rule). Neither
    /// reads the consents (issue 22): no guard of Close or Reopen reads them, nor do the guards of the states they lead to
    /// (Closed: the reopening period; Opened: none), which the answer's permitted triggers evaluate. Only a Reopen that
    /// the workflow will refuse, from AwaitingConsent or Active, needs them: the 409 lists the triggers permitted there,
    /// whose guards (Activate, Decline, ConsentLost) read the consents and their answers — then they are loaded too.
    /// Guardians, members, meetings, the action plan, interventions, disclosures and the follow-ups' assessments are
    /// never loaded: the case transitions neither read nor change them.
    /// </summary>
    public static async Task<Case?> LoadForTransitionAsync(this SspfDbContext db, Guid caseId, CaseTrigger trigger, Viewer viewer,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!await IsVisibleAsync(db, caseId, viewer, now, ct)) return null;
        var @case = trigger == CaseTrigger.Close
            ? await CompiledLoads.Of(db).ForClose(db, caseId, ct)
            : await CompiledLoads.Of(db).CaseRow(db, caseId, ct);
        if (@case is not null && trigger != CaseTrigger.Close && @case.State is CaseState.AwaitingConsent or CaseState.Active)
            await db.Entry(@case).Collection(c => c.Consents).Query().Include(k => k.Answers).AsSplitQuery().LoadAsync(ct);
        return @case;
    }

    /// <summary>
    /// What a consent answer touches, tracked — or null when the caller may not see the case: the case row (the youth's
    /// age decides who signs), its guardians (the signatories), its consents with their answers (the answer, the
    /// Activate/Decline guards), its open deadlines (the consent's reminders are closed and added), and its members and
    /// disclosures (whether the caller shares the basic category, <see cref="CategoriesFor"/>). Meetings, the action
    /// plan, interventions and follow-ups are not loaded: answering a consent neither reads nor changes them (issue 22).
    /// </summary>
    public static async Task<Case?> LoadForConsentAnswerAsync(this SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct)
    {
        if (!await IsVisibleAsync(db, caseId, viewer, now, ct)) return null;
        return await CompiledLoads.Of(db).ForConsentAnswer(db, caseId, ct);
    }

    /// <summary>
    /// The fixed-shape loads of a transition and a consent answer (by the case's id alone; visibility is decided before),
    /// compiled once (issue 22: EF walked each query's expression tree and computed its cache key on every execution, about
    /// a tenth of a transition's CPU). A compiled query belongs to one model — EF refuses it on a context of another — so
    /// they are kept per model: one set per application in the process (tests host several).
    /// </summary>
    private sealed class CompiledLoads
    {
        private static readonly ConditionalWeakTable<IModel, CompiledLoads> byModel = new();

        public static CompiledLoads Of(SspfDbContext db) => byModel.GetValue(db.Model, _ => new CompiledLoads());

        /// <summary>Close: the case row (with the youth), its open follow-ups and its open deadlines, in one statement.</summary>
        public Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> ForClose { get; } = EF.CompileAsyncQuery(
            (SspfDbContext db, Guid caseId, CancellationToken ct) => db.Cases.Where(c => c.Id == caseId)
                .Include(c => c.FollowUps.Where(f => f.State == FollowUpState.Scheduled || f.State == FollowUpState.Overdue))
                .Include(c => c.Deadlines.Where(d => d.State == DeadlineState.Open))
                .AsSingleQuery().SingleOrDefault());

        /// <summary>Reopen: the case row (with the youth) alone.</summary>
        public Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> CaseRow { get; } = EF.CompileAsyncQuery(
            (SspfDbContext db, Guid caseId, CancellationToken ct) => db.Cases.SingleOrDefault(c => c.Id == caseId));

        /// <summary>A consent answer: see <see cref="LoadForConsentAnswerAsync"/>.</summary>
        public Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> ForConsentAnswer { get; } = EF.CompileAsyncQuery(
            (SspfDbContext db, Guid caseId, CancellationToken ct) => db.Cases.Where(c => c.Id == caseId)
                .Include(c => c.Guardians)
                .Include(c => c.Members)
                .Include(c => c.Consents).ThenInclude(k => k.Answers)
                .Include(c => c.Disclosures)
                .Include(c => c.Deadlines.Where(d => d.State == DeadlineState.Open))
                .AsSplitQuery().SingleOrDefault());
    }

    /// <summary>
    /// The aggregate without deadlines and history, untracked, for a read — or null when the caller may not see the case.
    /// One statement decides visibility (<see cref="VisibleCases"/>, evaluated by the database now), reads the case's data
    /// keys and counts its children; then the aggregate is read by its id in ONE statement while the join of its child
    /// collections stays small (<see cref="MaxSingleQueryRows"/>), else in EF's split queries, one per collection.
    /// </summary>
    /// <remarks>
    /// Issue 22: the split queries were ten of a read's thirteen statements; on the benchmark's cases (18–32 joined rows)
    /// one statement cost less API and PostgreSQL CPU per read (bench/results/load.md, "Round four"). A single query
    /// joins sibling collections as a cartesian product, though — two guardians × five members × twelve meetings × ...
    /// grows multiplicatively as a case lives — so the children are counted first and a case past the bound keeps the
    /// split queries, whose cost grows only linearly.
    /// </remarks>
    public static async Task<Case?> LoadForReadAsync(this SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct)
    {
#if BENCH
        if (Bench.ReadVariants.Current is { } variant) return await LoadForReadVariantAsync(db, caseId, viewer, now, variant, ct);
#endif
        if (await VisibleReadAsync(db, caseId, viewer, now, ct) is not { } joinedRows) return null;
#if BENCH
        Bench.ReadPhases.Mark("visibility rule and data keys (statement, unwrap)");
#endif
        var aggregate = WithChildren(db.Cases.Where(c => c.Id == caseId)).AsNoTracking();
        if (joinedRows <= MaxSingleQueryRows) aggregate = aggregate.AsSingleQuery();
        var @case = await aggregate.SingleOrDefaultAsync(ct);
#if BENCH
        Bench.ReadPhases.Mark("aggregate (split queries, materialization, decryption)");
#endif
        return @case;
    }

    /// <summary>The most rows the aggregate's single query may join (its child collections' cartesian product); past it, split queries.</summary>
    internal const long MaxSingleQueryRows = 50;

    /// <summary>
    /// <see cref="IsVisibleAsync"/> for a read: in the same statement, the number of rows a single query of the aggregate
    /// would join — null when the caller may not see the case.
    /// </summary>
    private static async Task<long?> VisibleReadAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct)
    {
        var visible = await db.VisibleCases(viewer, now).Where(c => c.Id == caseId).AsNoTracking()
            .Select(c => new
            {
                Keys = db.Set<Infrastructure.Encryption.DataKey>().Where(k => k.OwnerId == c.Id).ToList(),
                Guardians = c.Guardians.Count(),
                Members = c.Members.Count(),
                Consents = c.Consents.Count() + c.Consents.SelectMany(k => k.Answers).Count(),
                Meetings = c.Meetings.Count(),
                Interventions = c.Interventions.Count(),
                FollowUps = c.FollowUps.Count() + c.FollowUps.SelectMany(f => f.Assessments).Count(),
                Disclosures = c.Disclosures.Count(),
            })
            .SingleOrDefaultAsync(ct);
        if (visible is null) return null;
        Infrastructure.Encryption.KeyRings.Of(db).Preload(visible.Keys);
        // A collection joins at least one row (LEFT JOIN); a consent's rows are its answers or itself, so consents +
        // answers bounds them from above (likewise follow-ups and their assessments).
        return new long[] { visible.Guardians, visible.Members, visible.Consents, visible.Meetings, visible.Interventions, visible.FollowUps, visible.Disclosures }
            .Aggregate(1L, (rows, n) => rows * Math.Max(1, n));
    }

    /// <summary>
    /// Whether the caller may see the case now — <see cref="VisibleCases"/>, evaluated by the database on this request — and,
    /// in the same statement, the case's data-key rows, unwrapped into the context's key ring before the aggregate is read
    /// (else decryption would look the key up while EF materializes: a synchronous query that holds a thread-pool thread
    /// and starves the pool under load). The aggregate is then read by its id alone: the rule is decided once per request
    /// instead of being joined again into each of the aggregate's split queries (issue 22: for a member's read the rule —
    /// membership, covering consent or disclosure — was evaluated ten times per read).
    /// </summary>
    private static async Task<bool> IsVisibleAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct)
    {
        var visible = await db.VisibleCases(viewer, now).Where(c => c.Id == caseId).AsNoTracking()
            .Select(c => new { c.Id, Keys = db.Set<Infrastructure.Encryption.DataKey>().Where(k => k.OwnerId == c.Id).ToList() })
            .SingleOrDefaultAsync(ct);
        if (visible is null) return false;
        Infrastructure.Encryption.KeyRings.Of(db).Preload(visible.Keys);
        return true;
    }

#if BENCH
    /// <summary>The read with its aggregate loaded as <paramref name="variant"/> forces (bench/load.sh --read-variants).</summary>
    private static async Task<Case?> LoadForReadVariantAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, Bench.ReadVariants.Variant variant, CancellationToken ct)
    {
        if (!await IsVisibleAsync(db, caseId, viewer, now, ct)) return null;
        Bench.ReadPhases.Mark("visibility rule and data keys (statement, unwrap)");
        var aggregate = WithChildren(db.Cases.Where(c => c.Id == caseId)).AsNoTracking();
        if (variant == Bench.ReadVariants.Variant.Single) aggregate = aggregate.AsSingleQuery();
        var @case = await aggregate.SingleOrDefaultAsync(ct);
        Bench.ReadPhases.Mark("aggregate (split queries, materialization, decryption)");
        return @case;
    }
#endif

    internal static IQueryable<Case> WithChildren(IQueryable<Case> cases) => cases
        .Include(c => c.Guardians)
        .Include(c => c.Members)
        .Include(c => c.Consents).ThenInclude(k => k.Answers)
        .Include(c => c.Meetings)
        .Include(c => c.ActionPlan)
        .Include(c => c.Interventions)
        .Include(c => c.FollowUps).ThenInclude(f => f.Assessments)
        .Include(c => c.Disclosures)
        .AsSplitQuery();
}
