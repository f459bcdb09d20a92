using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Linq.Expressions;
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
        var rule = Rule(Branch.Of(viewer));
        var values = ViewerValues.Of(viewer, now);
        // Bound as closure members, like a lambda's captured variables: EF makes the viewer's values query parameters.
        Expression<Func<SspfDbContext>> context = () => db;
        Expression<Func<ViewerValues>> bound = () => values;
        return db.Cases.Where(Expression.Lambda<Func<Case, bool>>(
            RuleExpression.Replace(rule.Body, (rule.Parameters[0], context.Body), (rule.Parameters[2], bound.Body)), rule.Parameters[1]));
    }

    /// <summary>
    /// The rule for one branch of viewers, with the context, the case and the viewer's values as parameters: <see cref="VisibleCases"/>
    /// binds it to a request's values; the compiled visibility statements (<see cref="VisibilityProbe{TProbe}"/>) take them as parameters.
    /// </summary>
    private static Expression<Func<SspfDbContext, Case, ViewerValues, bool>> Rule(Branch branch)
    {
        if (!branch.SeesContent) return (db, c, v) => false;
        // One municipality (nearly every user) as an equality, not "= ANY(array)": then the (MunicipalityId, OpenedAt)
        // index yields a list page already in order, instead of every row of the municipality being sorted.
        Expression<Func<SspfDbContext, Case, ViewerValues, bool>> rule = branch.OneMunicipality
            ? (db, c, v) => c.MunicipalityId == v.Municipality
            : (db, c, v) => v.Municipalities.Contains(c.MunicipalityId);
        if (branch.Coordinator) return rule;

        // Driven by the caller's memberships (index on UserId, CaseId): "Id IN (their cases)" is a handful of
        // key lookups however many cases exist, where an EXISTS per case would be probed for every case.
        rule = And(rule, (db, c, v) => db.Set<CaseMember>().Where(m => m.UserId == v.UserId)
            .Select(m => EF.Property<Guid>(m, Aggregates.CaseId)).Contains(c.Id));
        if (branch.SocialServices) return rule;

        // The domain's own definitions (Consent.CoversRule, Disclosure.GrantsRule), translated by EF into the query.
        return Inline.Expand(And(rule, (db, c, v) =>
            c.Consents.AsQueryable().Any(k => Inline.Covers(k, v.Party, v.Now))
            || c.Disclosures.AsQueryable().Any(d => Inline.Grants(d, v.UserId, v.Now))));
    }

    private static Expression<Func<SspfDbContext, Case, ViewerValues, bool>> And(
        Expression<Func<SspfDbContext, Case, ViewerValues, bool>> rule, Expression<Func<SspfDbContext, Case, ViewerValues, bool>> also) =>
        Expression.Lambda<Func<SspfDbContext, Case, ViewerValues, bool>>(Expression.AndAlso(rule.Body, RuleExpression.Replace(also.Body,
            (also.Parameters[0], rule.Parameters[0]), (also.Parameters[1], rule.Parameters[1]), (also.Parameters[2], rule.Parameters[2]))),
            rule.Parameters);

    /// <summary>What of the viewer decides which branch of the rule applies (a compiled statement per branch).</summary>
    private readonly record struct Branch(bool SeesContent, bool OneMunicipality, bool Coordinator, bool SocialServices)
    {
        public static Branch Of(Viewer viewer) =>
            new(viewer.SeesCaseContent, viewer.Municipalities.Count == 1, viewer.IsCoordinator, viewer.IsSocialServices);
    }

    /// <summary>The viewer's values the rule compares with, one argument of its compiled statements.</summary>
    private sealed record ViewerValues(Guid Municipality, IReadOnlyList<Guid> Municipalities, Guid UserId, Party Party, DateTimeOffset Now)
    {
        public static ViewerValues Of(Viewer viewer, DateTimeOffset now) =>
            new(viewer.Municipalities.Count == 1 ? viewer.Municipalities[0] : Guid.Empty, viewer.Municipalities, viewer.UserId, viewer.Party, now);
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
        if (await CompiledQueries.Of(db).Visible.RunAsync(db, caseId, viewer, now, ct) is null) return null;
        return await WithChildren(db.Cases.Where(c => c.Id == caseId))
            .Include(c => c.Deadlines.Where(d => d.State == DeadlineState.Open)).SingleOrDefaultAsync(ct) is { } @case ? db.OwnRowsOnly(@case) : null;
    }

    /// <summary>
    /// What <paramref name="trigger"/> (Close or Reopen) touches, tracked — or null when the caller may not see the case.
    /// Close: the case row (with the youth), its open follow-ups (it cancels them) and its open deadlines (it cancels
    /// them), in one statement; it reads no consent (issue 22): no guard of Close reads them, nor does the guard of
    /// Closed. Reopen: the case row (the youth's personnummer for the one-open-case rule), its consents (not their
    /// answers) and its action plan, in one statement: reopening gives a consent still valid its expiry deadline back, a pending
    /// request its answer deadline, a case with an action plan its next follow-up (decision 13), and a Reopen the workflow
    /// refuses lists the triggers permitted in the state it is in, whose guards read the consents. Guardians, members,
    /// meetings, interventions, disclosures and the follow-ups' assessments are never loaded: the case transitions
    /// neither read nor change them.
    /// </summary>
    public static async Task<Case?> LoadForTransitionAsync(this SspfDbContext db, Guid caseId, CaseTrigger trigger, Viewer viewer,
        DateTimeOffset now, CancellationToken ct)
    {
        if (await CompiledQueries.Of(db).Visible.RunAsync(db, caseId, viewer, now, ct) is null) return null;
        var @case = trigger == CaseTrigger.Close
            ? await CompiledQueries.Of(db).ForClose(db, caseId, ct)
            : await CompiledQueries.Of(db).ForReopen(db, caseId, ct);
        return @case is null ? null : db.OwnRowsOnly(@case);
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
        var compiled = CompiledQueries.Of(db);
        if (await compiled.Visible.RunAsync(db, caseId, viewer, now, ct) is null) return null;
        return await compiled.ForConsentAnswer(db, caseId, ct) is { } @case ? db.OwnRowsOnly(@case) : null;
    }

    /// <summary>
    /// The fixed-shape statements of a read, a change, a transition and a consent answer, compiled once (issue 22: EF otherwise
    /// walks each query's expression tree, extracts its parameters and hashes it into its query-cache key on every
    /// execution — 7–8 % of the API's CPU, a tenth of a transition's). A compiled query belongs to one model — EF refuses
    /// it on a context of another — so they are kept per model: one set per application in the process (tests host several).
    /// </summary>
    private sealed class CompiledQueries
    {
        private static readonly ConditionalWeakTable<IModel, CompiledQueries> byModel = new();

        public static CompiledQueries Of(SspfDbContext db) => byModel.GetValue(db.Model, _ => new CompiledQueries());

        /// <summary>A change's, a transition's and a consent answer's visibility statement: the rule and the case's data keys.</summary>
        public VisibilityProbe<VisibleCase> Visible { get; } = new(Inline.ForChange);

        /// <summary>A read's visibility statement: the rule, the case's data keys and its members (<see cref="LoadForReadAsync"/>).</summary>
        public VisibilityProbe<ReadProbe> VisibleForRead { get; } = new(Inline.ForRead);

#if BENCH
        /// <summary>
        /// A read's aggregate but the members in EF's single query (the app's read of a small case from round ten to seventeen:
        /// bench/load.sh --read-variants' "ef"), the members the visibility statement read added as EF adds a collection's elements.
        /// </summary>
        public async Task<Case?> AggregateInEfsSingleQueryAsync(SspfDbContext db, Guid id, IReadOnlyList<CaseMember> caseMembers, CancellationToken ct)
        {
            if (await aggregateButMembers(db, id, ct) is not { } @case) return null;
            var members = db.Model.FindEntityType(typeof(Case))!.FindNavigation(nameof(Case.Members))!.GetCollectionAccessor()!;
            foreach (var member in caseMembers) members.Add(@case, member, forMaterialization: true);
            return @case;
        }

        private readonly Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> aggregateButMembers =
            EF.CompileAsyncQuery(Inline.Expand<Func<SspfDbContext, Guid, CancellationToken, Case?>>(
                (db, id, ct) => Inline.ChildrenButMembers(db.Cases.Where(c => c.Id == id)).AsNoTracking().AsSingleQuery().SingleOrDefault()));

        /// <summary>The case row (with the youth) alone, untracked (bench/load.sh --read-variants' "rowonly").</summary>
        public Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> CaseRowUntracked { get; } = EF.CompileAsyncQuery(
            (SspfDbContext db, Guid caseId, CancellationToken ct) => db.Cases.AsNoTracking().SingleOrDefault(c => c.Id == caseId));

        /// <summary>A read's aggregate in one statement, members included (the read before round seven: bench/load.sh --read-variants' "whole").</summary>
        public Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> AggregateInOneStatement { get; } =
            EF.CompileAsyncQuery(Inline.Expand<Func<SspfDbContext, Guid, CancellationToken, Case?>>(
                (db, id, ct) => WithChildren(db.Cases.Where(c => c.Id == id)).AsNoTracking().AsSingleQuery().SingleOrDefault()));
#endif

        /// <summary>Close: the case row (with the youth), its open follow-ups and its open deadlines, in one statement.</summary>
        public Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> ForClose { get; } = EF.CompileAsyncQuery(
            (SspfDbContext db, Guid caseId, CancellationToken ct) => db.Cases.Where(c => c.Id == caseId)
                .Include(c => c.FollowUps.Where(f => f.State == FollowUpState.Scheduled || f.State == FollowUpState.Overdue))
                .Include(c => c.Deadlines.Where(d => d.State == DeadlineState.Open))
                .AsSingleQuery().SingleOrDefault());

        /// <summary>
        /// Reopen: the case row (with the youth), its consents and its action plan, in one statement. Not the consents'
        /// answers (encrypted: each one a decryption): no guard of the consent or the case reads them.
        /// </summary>
        public Func<SspfDbContext, Guid, CancellationToken, Task<Case?>> ForReopen { get; } = EF.CompileAsyncQuery(
            (SspfDbContext db, Guid caseId, CancellationToken ct) => db.Cases.Where(c => c.Id == caseId)
                .Include(c => c.Consents)
                .Include(c => c.ActionPlan)
                .AsSingleQuery().SingleOrDefault());

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
    /// One statement decides visibility (<see cref="VisibilityProbe{TProbe}"/>, evaluated by the database now) and reads the
    /// case's data keys and members; then the rest of the aggregate is read by its id in one command, a SELECT per table
    /// (<see cref="AggregateRows"/>), and built by EF's materializers.
    /// </summary>
    /// <remarks>
    /// Issue 22: the split queries were ten of a read's thirteen statements (bench/results/load.md, "Round four"); EF's single
    /// query that replaced them for small cases joined the collections as a cartesian product, which grows multiplicatively
    /// as a case lives, and its shaper compared every joined row's keys: 0.31–0.43 ms of a read's API CPU went to loading
    /// the aggregate ("Round seventeen"). Each row read once, in one round trip, grows only linearly.
    /// </remarks>
    public static async Task<Case?> LoadForReadAsync(this SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct)
    {
#if BENCH
        if (Bench.ReadVariants.Current is { } variant) return await LoadForReadVariantAsync(db, caseId, viewer, now, variant, ct);
#endif
        if (await CompiledQueries.Of(db).VisibleForRead.RunAsync(db, caseId, viewer, now, ct) is not { } visible) return null;
#if BENCH
        Bench.ReadPhases.Mark("visibility rule and data keys (statement, unwrap)");
        var compiled = CompiledQueries.Of(db);
        if (Bench.ReadVariants.Whole)
        {
            var whole = await compiled.AggregateInOneStatement(db, caseId, ct);
            Bench.ReadPhases.Mark("aggregate (split queries, materialization, decryption)");
            return whole;
        }
        if (Bench.ReadVariants.Kept(viewer.UserId) is { } kept) return kept;
        if (Bench.ReadVariants.RowOnly) return await compiled.CaseRowUntracked(db, caseId, ct);
        if (Bench.ReadVariants.Ef) return await compiled.AggregateInEfsSingleQueryAsync(db, caseId, visible.Members, ct);
#endif
        var @case = await AggregateRows.ReadAsync(db, caseId, visible.Members, ct);
#if BENCH
        Bench.ReadVariants.Keep(viewer.UserId, @case);
        Bench.ReadPhases.Mark("aggregate (split queries, materialization, decryption)");
#endif
        return @case;
    }

    /// <summary>What every visibility statement reads of a visible case: its data-key rows.</summary>
    private class VisibleCase
    {
        public required List<Infrastructure.Encryption.DataKey> Keys { get; init; }
    }

    /// <summary>A read's: the case's data keys and its members.</summary>
    private sealed class ReadProbe : VisibleCase
    {
        /// <summary>The case's members by key (the order EF gives a collection).</summary>
        public required List<CaseMember> Members { get; init; }
    }

    /// <summary>
    /// Whether the caller may see the case now — the rule (<see cref="Rule"/>) evaluated by the database on this request — and,
    /// in the same statement, what <typeparamref name="TProbe"/> reads of it: always the case's data-key rows, unwrapped into
    /// the context's key ring before the aggregate is read (else decryption would look the key up while EF materializes: a
    /// synchronous query that holds a thread-pool thread and starves the pool under load). The aggregate is then read by its
    /// id alone: the rule is decided once per request instead of being joined again into each of the aggregate's queries
    /// (issue 22: for a member's read the rule — membership, covering consent or disclosure — was evaluated ten times per read).
    /// </summary>
    /// <remarks>
    /// One compiled statement per branch of the rule (issue 22: EF otherwise translates the query through its query cache on
    /// every execution — a tenth of a transition's CPU), made on the branch's first use and shared by every viewer of the
    /// branch: the viewer's values are the statement's parameters, one each (EF does not translate a member of a compiled
    /// query's parameter), a viewer's several municipalities a collection parameter. Nothing of a previous request is kept.
    /// </remarks>
    private sealed class VisibilityProbe<TProbe>(Expression<Func<SspfDbContext, Case, TProbe>> shape) where TProbe : VisibleCase
    {
        private readonly ConcurrentDictionary<Branch, Func<SspfDbContext, Guid, Guid, IReadOnlyList<Guid>, Guid, Party, DateTimeOffset, CancellationToken, Task<TProbe?>>> byBranch = new();

        /// <summary>The probe of the case, its keys preloaded — or null when <paramref name="viewer"/> may not see it now.</summary>
        public async Task<TProbe?> RunAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct)
        {
            var v = ViewerValues.Of(viewer, now);
            var visible = await byBranch.GetOrAdd(Branch.Of(viewer), Compile, shape)(db, caseId, v.Municipality, v.Municipalities, v.UserId, v.Party, v.Now, ct);
            if (visible is not null) Infrastructure.Encryption.KeyRings.Of(db).Preload(visible.Keys);
            return visible;
        }

        private static Func<SspfDbContext, Guid, Guid, IReadOnlyList<Guid>, Guid, Party, DateTimeOffset, CancellationToken, Task<TProbe?>> Compile(
            Branch branch, Expression<Func<SspfDbContext, Case, TProbe>> shape) =>
            EF.CompileAsyncQuery(Inline.Expand<Func<SspfDbContext, Guid, Guid, IReadOnlyList<Guid>, Guid, Party, DateTimeOffset, CancellationToken, TProbe?>>(
                (db, id, municipality, municipalities, userId, party, now, ct) => db.Cases
                    .Where(c => Inline.Visible(db, c, new ViewerValues(municipality, municipalities, userId, party, now)))
                    .Where(c => c.Id == id).AsNoTracking().Select(c => Inline.Shape<TProbe>(db, c)).SingleOrDefault(), Rule(branch), shape));
    }

    /// <summary>
    /// <paramref name="shape"/>, a projection of a case and its data-key rows, with the rows read by the one expression for
    /// them: every statement that reads cases' keys to unwrap them before the cases are materialized (the visibility probes,
    /// the list's page, the personnummer lookup's bucket) reads them alike.
    /// </summary>
    internal static Expression<Func<SspfDbContext, Case, T>> WithKeys<T>(Expression<Func<SspfDbContext, Case, List<Infrastructure.Encryption.DataKey>, T>> shape)
    {
        Expression<Func<SspfDbContext, Case, List<Infrastructure.Encryption.DataKey>>> keysOf =
            (db, c) => db.Set<Infrastructure.Encryption.DataKey>().Where(k => k.OwnerId == c.Id).ToList();
        var (context, subject, keys) = (shape.Parameters[0], shape.Parameters[1], shape.Parameters[2]);
        return Expression.Lambda<Func<SspfDbContext, Case, T>>(RuleExpression.Replace(shape.Body,
            (keys, RuleExpression.Replace(keysOf.Body, (keysOf.Parameters[0], context), (keysOf.Parameters[1], subject)))), context, subject);
    }

    /// <summary>A projection's context bound to <paramref name="db"/> (a closure member, as a lambda's captured variable), for a query made per request.</summary>
    internal static Expression<Func<Case, T>> On<T>(this Expression<Func<SspfDbContext, Case, T>> projection, SspfDbContext db)
    {
        Expression<Func<SspfDbContext>> context = () => db;
        return Expression.Lambda<Func<Case, T>>(RuleExpression.Replace(projection.Body, (projection.Parameters[0], context.Body)), projection.Parameters[1]);
    }

    /// <summary>
    /// Expression pieces written once and inlined where a query uses them: a call of a marker method below (or of
    /// <see cref="WithChildren"/>) in a query expression is replaced by its definition, its parameters bound to the call's
    /// arguments — so that a compiled query and a per-request query share one definition of the rule, the probe and the children.
    /// </summary>
    private static class Inline
    {
        public static bool Visible(SspfDbContext db, Case c, ViewerValues v) => throw Marker();
        public static TProbe Shape<TProbe>(SspfDbContext db, Case c) => throw Marker();
        public static bool Covers(Consent consent, Party party, DateTimeOffset now) => throw Marker();
        public static IQueryable<Case> ChildrenButMembers(IQueryable<Case> cases) => throw Marker();
        public static bool Grants(Disclosure disclosure, Guid userId, DateTimeOffset now) => throw Marker();

        private static InvalidOperationException Marker() => new("A marker for a query expression, inlined by CaseAccess.Inline.Expand.");

        /// <summary><see cref="WithChildren"/>'s includes, on a query given as the parameter.</summary>
        public static readonly Expression<Func<IQueryable<Case>, IQueryable<Case>>> Children = cases =>
            ChildrenButMembers(cases).Include(c => c.Members).AsSplitQuery();

        /// <summary>The aggregate's children but the members (<see cref="Children"/> adds them; a read's are its visibility statement's).</summary>
        private static readonly Expression<Func<IQueryable<Case>, IQueryable<Case>>> ChildrenButMembersOf = cases => cases
            .Include(c => c.Guardians)
            .Include(c => c.Consents).ThenInclude(k => k.Answers)
            .Include(c => c.Meetings)
            .Include(c => c.ActionPlan)
            .Include(c => c.Interventions)
            .Include(c => c.FollowUps).ThenInclude(f => f.Assessments)
            .Include(c => c.Disclosures);

        /// <summary>A change's visibility statement reads the data keys alone.</summary>
        public static readonly Expression<Func<SspfDbContext, Case, VisibleCase>> ForChange = WithKeys((db, c, keys) => new VisibleCase { Keys = keys });

        /// <summary>A read's reads the members too (<see cref="LoadForReadAsync"/>).</summary>
        public static readonly Expression<Func<SspfDbContext, Case, ReadProbe>> ForRead = WithKeys((db, c, keys) => new ReadProbe
        {
            Keys = keys,
            Members = c.Members.OrderBy(m => m.Id).ToList(),
        });

        private static readonly Dictionary<System.Reflection.MethodInfo, LambdaExpression> Definitions = new()
        {
            [typeof(CaseAccess).GetMethod(nameof(WithChildren), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!] = Children,
            [typeof(Inline).GetMethod(nameof(Covers))!] = Consent.CoversRule,
            [typeof(Inline).GetMethod(nameof(ChildrenButMembers))!] = ChildrenButMembersOf,
            [typeof(Inline).GetMethod(nameof(Grants))!] = Disclosure.GrantsRule,
        };

        /// <summary>
        /// <paramref name="expression"/> with its markers inlined; <see cref="Visible"/> as <paramref name="visible"/>,
        /// <see cref="Shape{TProbe}"/> as <paramref name="shape"/>.
        /// </summary>
        public static Expression<T> Expand<T>(Expression<T> expression, LambdaExpression? visible = null, LambdaExpression? shape = null) =>
            (Expression<T>)new Expander(visible, shape).Visit(expression);

        private sealed class Expander(LambdaExpression? visible, LambdaExpression? shape) : ExpressionVisitor
        {
            protected override Expression VisitMethodCall(MethodCallExpression node)
            {
                var definition = node.Method.DeclaringType != typeof(Inline) ? Definitions.GetValueOrDefault(node.Method) : node.Method.Name switch
                {
                    nameof(Visible) => visible ?? throw new InvalidOperationException("Inline.Visible needs the rule to inline."),
                    nameof(Shape) => shape ?? throw new InvalidOperationException("Inline.Shape needs the probe's shape to inline."),
                    _ => Definitions.GetValueOrDefault(node.Method),
                };
                if (definition is null) return base.VisitMethodCall(node);
                var arguments = node.Arguments.Select(Visit).ToArray();
                var body = RuleExpression.Replace(definition.Body, definition.Parameters.Select((p, i) => (p, arguments[i]!)).ToArray());
                return Visit(body);
            }

            /// <summary>A value of a <see cref="ViewerValues"/> made in the query (a compiled query's parameters) is its argument.</summary>
            protected override Expression VisitMember(MemberExpression node)
            {
                var target = Visit(node.Expression);
                if (target is NewExpression { Constructor: { } constructor } values && constructor.DeclaringType == typeof(ViewerValues))
                {
                    var index = Array.FindIndex(constructor.GetParameters(), p => p.Name == node.Member.Name);
                    if (index >= 0) return values.Arguments[index];
                }
                return node.Update(target);
            }
        }
    }

#if BENCH
    /// <summary>The read with its aggregate loaded as <paramref name="variant"/> forces (bench/load.sh --read-variants).</summary>
    private static async Task<Case?> LoadForReadVariantAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, Bench.ReadVariants.Variant variant, CancellationToken ct)
    {
        if (await CompiledQueries.Of(db).Visible.RunAsync(db, caseId, viewer, now, ct) is null) return null;
        Bench.ReadPhases.Mark("visibility rule and data keys (statement, unwrap)");
        var aggregate = WithChildren(db.Cases.Where(c => c.Id == caseId)).AsNoTracking();
        if (variant == Bench.ReadVariants.Variant.Single) aggregate = aggregate.AsSingleQuery();
        var @case = await aggregate.SingleOrDefaultAsync(ct);
        Bench.ReadPhases.Mark("aggregate (split queries, materialization, decryption)");
        return @case;
    }
#endif

    internal static IQueryable<Case> WithChildren(IQueryable<Case> cases) =>
        cases.Provider.CreateQuery<Case>(RuleExpression.Replace(ExpandedChildren.Body, (ExpandedChildren.Parameters[0], cases.Expression)));

    private static readonly Expression<Func<IQueryable<Case>, IQueryable<Case>>> ExpandedChildren = Inline.Expand(Inline.Children);
}
