using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;
using SspfSamordning.Domain.Statistics;

namespace SspfSamordning.Api.Features.Statistics;

/// <summary>
/// The counts behind the statistics, per calendar month (Swedish time) and state column: one GROUP BY query per
/// population, evaluated by the database (no row of a case is loaded, nothing is decrypted). When something became
/// valid or closed comes from the transition history.
/// </summary>
public static class StatisticsQueries
{
    public const string CasesOpened = "CasesOpened";
    public const string CasesClosed = "CasesClosed";
    /// <summary>Cases open (opened, awaiting consent or active: neither closed nor declined) at the end of the period.</summary>
    public const string CasesActiveAtEnd = "CasesActiveAtEnd";
    /// <summary>Hidden flows of the stock (counted, never published).</summary>
    public const string CasesReopened = "CasesReopened";
    public const string CasesDeclined = "CasesDeclined";
    public const string ConsentOutcomes = "ConsentOutcomes";
    public const string MeetingsHeld = "MeetingsHeld";
    public const string InterventionsProposed = "InterventionsProposed";
    public const string InterventionsCompleted = "InterventionsCompleted";
    public const string FollowUpsDone = "FollowUpsDone";
    public const string ConcernReportsReceived = "ConcernReportsReceived";
    public const string StatutoryDeadlines = "StatutoryDeadlines";

    private static readonly string[] ConsentResults = [nameof(ConsentState.Valid), nameof(ConsentState.Refused), nameof(ConsentState.Withdrawn), nameof(ConsentState.Expired)];
    /// <summary>The age bands at opening, then cases opened before the column existed.</summary>
    private static readonly string[] AgeBandRows = [.. Enum.GetNames<AgeBand>(), "Unknown"];
    private static readonly string[] Timeliness = ["OnTime", "Late"];
    private static readonly string[] ReportOutcomes = ["InvestigationOpened", "NoInvestigation", "Undecided"];
    private static readonly DeadlineKind[] StatutoryKinds = [DeadlineKind.ProtectionAssessment, DeadlineKind.PreliminaryAssessment, DeadlineKind.InvestigationDue];
    private static readonly string[] DeadlineResults = ["Met", "Missed"];

    /// <summary>What is published, group by group (each group's populations count different things).</summary>
    public static IReadOnlyList<MeasureGroup> Groups { get; } =
    [
        new("Cases", [
            new Population(CasesOpened, [Dim<SignalCategory>(nameof(SignalCategory)), new Dimension(nameof(AgeBand), AgeBandRows)]),
            new Population(CasesClosed, [Dim<CloseReason>(nameof(CloseReason))]),
        ], new Stock(CasesActiveAtEnd, [CasesOpened, CasesReopened], [CasesClosed, CasesDeclined])),
        new("Consents", [new Population(ConsentOutcomes, [new Dimension("Outcome", ConsentResults)])]),
        new("Meetings", [new Population(MeetingsHeld, [Dim<MeetingKind>("Kind")])]),
        new("Interventions", [
            new Population(InterventionsProposed, [Dim<InterventionType>("Type"), Dim<Party>("Party")]),
            new Population(InterventionsCompleted, [Dim<InterventionOutcome>("Outcome")]),
        ]),
        new("FollowUps", [new Population(FollowUpsDone, [new Dimension("Timeliness", Timeliness)])]),
        new("ConcernReports", [
            new Population(ConcernReportsReceived, [new Dimension("Outcome", ReportOutcomes)]),
            new Population(StatutoryDeadlines, [new Dimension("Deadline", [.. StatutoryKinds.Select(k => k.ToString())]), new Dimension("Result", DeadlineResults)]),
        ]),
    ];

    private static Dimension Dim<T>(string name) where T : struct, Enum => new(name, Enum.GetNames<T>());

    /// <summary>Marker for the month a date falls in; replaced by a CASE over the month boundaries before the query runs.</summary>
    public static int MonthOf(DateTimeOffset at) => throw new InvalidOperationException("Only inside a statistics query.");

    /// <summary>One statistics query: runs on the context it is given (see <see cref="RunAsync"/>) and keeps its own result.</summary>
    public delegate Task Query(SspfDbContext db, CancellationToken ct);

    /// <summary>
    /// At most this many of the connection pool's connections per statistics request (PostgreSQL, SQL Server): the
    /// grouped queries are independent, and each is one core's work, so they run side by side; the bound keeps one
    /// request from taking more of the pool the case work needs (there is no limit across requests yet).
    /// </summary>
    public const int Connections = 4;

    /// <summary>
    /// Runs independent queries: on SQLite one after the other on the request's context (one file, one writer, and the
    /// tests' database); on a server database on up to <see cref="Connections"/> contexts of their own. On PostgreSQL
    /// each runs in a read-only transaction that plans every statement for its own values
    /// (<c>plan_cache_mode = force_custom_plan</c>): the app's connections prepare statements automatically, and the
    /// generic plan of a prepared statistics query guessed a few hundred rows for a municipality's 100,000 and joined
    /// them case by case (bench/results/statistics.md). No parallel workers either
    /// (<c>max_parallel_workers_per_gather = 0</c>): the queries already run side by side, and on the two cores measured the
    /// workers only added gathering and shared hash tables (a year at 100,000 cases: 300 → 257 ms median).
    /// </summary>
    public static async Task RunAsync(SspfDbContext db, IServiceProvider services, IReadOnlyList<Query> queries, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            foreach (var query in queries) await query(db, ct);
            return;
        }
        var next = -1;
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        async Task Worker()
        {
            await using var scope = scopes.CreateAsyncScope();
            var own = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var postgres = own.Database.IsNpgsql();
            await using var transaction = postgres ? await own.Database.BeginTransactionAsync(ct) : null;
            if (postgres) await own.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL max_parallel_workers_per_gather = 0", ct);
            for (int i; (i = Interlocked.Increment(ref next)) < queries.Count;) await queries[i](own, ct);
            if (transaction is not null) await transaction.CommitAsync(ct);
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(Connections, queries.Count)).Select(_ => Task.Run(Worker, ct)));
    }

    /// <summary>
    /// The grouped queries behind every population of every group for the months [first, last], events before
    /// <paramref name="cutoff"/>; each adds its rows to <paramref name="counts"/> (<see cref="NewCounts"/>) when it ends.
    /// The heaviest (most rows read) first, so that the queries side by side end close together.
    /// </summary>
    public static IReadOnlyList<Query> CountQueries(
        Guid municipalityId, YearMonth first, YearMonth last, DateTimeOffset cutoff, Dictionary<string, GroupCounts> counts)
    {
        var months = new MonthBuckets(first, last, cutoff);
        var (start, end) = (months.Start, months.End);
        void Add(string group, string population, IEnumerable<(int Month, int Joint, int Count)> rows)
        {
            lock (counts)
                foreach (var (month, joint, count) in rows) counts[group].Add(population, first.Plus(month), joint, count);
        }
        IQueryable<Case> Cases(SspfDbContext db) => db.Cases.AsNoTracking().Where(c => c.MunicipalityId == municipalityId);
        IQueryable<Guid> CaseIds(SspfDbContext db) => Cases(db).Select(c => c.Id);
        IQueryable<TransitionEvent> History(SspfDbContext db) => db.Set<TransitionEvent>().AsNoTracking().Where(t => t.At >= start && t.At < end);
        // (A query inside a query is captured as a variable: EF then inlines it as a subquery.)
        IQueryable<Intervention> Interventions(SspfDbContext db)
        {
            var caseIds = CaseIds(db);
            return db.Set<Intervention>().AsNoTracking().Where(i => caseIds.Contains(EF.Property<Guid>(i, Aggregates.CaseId)));
        }
        var parties = Enum.GetValues<Party>().Length;

        return
        [
            async (db, ct) =>
            {
                var caseIds = CaseIds(db).Select(id => (Guid?)id);
                var consents = await months.RunAsync(History(db)
                    .Where(t => t.Workflow == Consent.WorkflowName && ConsentResults.Contains(t.To) && caseIds.Contains(EF.Property<Guid?>(t, Aggregates.CaseId)))
                    .GroupBy(t => new { Month = MonthOf(t.At), t.To })
                    .Select(g => new { g.Key.Month, g.Key.To, Count = g.Count() }), ct);
                Add("Consents", ConsentOutcomes, consents.Select(r => (r.Month, Array.IndexOf(ConsentResults, r.To), r.Count)));
            },
            async (db, ct) =>
            {
                var proposed = await months.RunAsync(Interventions(db).Where(i => i.ProposedAt >= start && i.ProposedAt < end)
                    .GroupBy(i => new { Month = MonthOf(i.ProposedAt), i.Type, i.OwnerParty })
                    .Select(g => new { g.Key.Month, g.Key.Type, g.Key.OwnerParty, Count = g.Count() }), ct);
                Add("Interventions", InterventionsProposed, proposed.Select(r => (r.Month, (int)r.Type * parties + (int)r.OwnerParty, r.Count)));
            },
            async (db, ct) =>
            {
                var caseIds = CaseIds(db);
                var meetings = await months.RunAsync(db.Set<Meeting>().AsNoTracking()
                    .Where(m => m.HeldAt >= start && m.HeldAt < end && caseIds.Contains(EF.Property<Guid>(m, Aggregates.CaseId)))
                    .GroupBy(m => new { Month = MonthOf(m.HeldAt!.Value), m.Kind })
                    .Select(g => new { g.Key.Month, g.Key.Kind, Count = g.Count() }), ct);
                Add("Meetings", MeetingsHeld, meetings.Select(r => (r.Month, (int)r.Kind, r.Count)));
            },
            async (db, ct) =>
            {
                var opened = await months.RunAsync(Cases(db).Where(c => c.OpenedAt >= start && c.OpenedAt < end)
                    .GroupBy(c => new { Month = MonthOf(c.OpenedAt), c.SignalCategory, c.AgeBandAtOpening })
                    .Select(g => new { g.Key.Month, g.Key.SignalCategory, g.Key.AgeBandAtOpening, Count = g.Count() }), ct);
                Add("Cases", CasesOpened, opened.Select(r =>
                    (r.Month, (int)r.SignalCategory * AgeBandRows.Length + (r.AgeBandAtOpening is { } band ? (int)band : AgeBandRows.Length - 1), r.Count)));
            },
            async (db, ct) =>
            {
                // The stock's other flows: a reopening (Closed → Opened) and a declined case.
                var caseIds = CaseIds(db).Select(id => (Guid?)id);
                // A reopening is the one transition into Opened (Case's workflow: Closed → Opened); naming its target
                // lets the history index find both flows (a filter on From alone read the whole table: 89 ms at 100,000).
                var otherFlows = await months.RunAsync(History(db)
                    .Where(t => t.Workflow == Case.WorkflowName
                        && (t.To == nameof(CaseState.Declined) || (t.To == nameof(CaseState.Opened) && t.From == nameof(CaseState.Closed)))
                        && caseIds.Contains(EF.Property<Guid?>(t, Aggregates.CaseId)))
                    .GroupBy(t => new { Month = MonthOf(t.At), Declined = t.To == nameof(CaseState.Declined) })
                    .Select(g => new { g.Key.Month, g.Key.Declined, Count = g.Count() }), ct);
                lock (counts)
                    foreach (var r in otherFlows) counts["Cases"].Add(r.Declined ? CasesDeclined : CasesReopened, first.Plus(r.Month), 0, r.Count);
            },
            async (db, ct) =>
            {
                var closed = await months.RunAsync(History(db).Where(t => t.Workflow == Case.WorkflowName && t.To == nameof(CaseState.Closed))
                    .Join(Cases(db), t => EF.Property<Guid?>(t, Aggregates.CaseId), c => (Guid?)c.Id, (t, c) => new { t.At, c.CloseReason })
                    .GroupBy(x => new { Month = MonthOf(x.At), x.CloseReason })
                    .Select(g => new { g.Key.Month, g.Key.CloseReason, Count = g.Count() }), ct);
                Add("Cases", CasesClosed, closed.Select(r => (r.Month, (int)(r.CloseReason ?? CloseReason.Other), r.Count)));
            },
            async (db, ct) =>
            {
                var completed = await months.RunAsync(Interventions(db).Where(i => i.CompletedAt >= start && i.CompletedAt < end && i.Outcome != null)
                    .GroupBy(i => new { Month = MonthOf(i.CompletedAt!.Value), i.Outcome })
                    .Select(g => new { g.Key.Month, g.Key.Outcome, Count = g.Count() }), ct);
                Add("Interventions", InterventionsCompleted, completed.Select(r => (r.Month, (int)r.Outcome!.Value, r.Count)));
            },
            async (db, ct) =>
            {
                var caseIds = CaseIds(db);
                var followUps = await months.RunAsync(db.Set<FollowUp>().AsNoTracking()
                    .Where(f => f.DoneAt >= start && f.DoneAt < end && caseIds.Contains(EF.Property<Guid>(f, Aggregates.CaseId)))
                    .GroupBy(f => new { Month = MonthOf(f.DoneAt!.Value), Late = f.DoneAt > f.DueAt })
                    .Select(g => new { g.Key.Month, g.Key.Late, Count = g.Count() }), ct);
                Add("FollowUps", FollowUpsDone, followUps.Select(r => (r.Month, r.Late ? 1 : 0, r.Count)));
            },
            async (db, ct) =>
            {
                var received = await months.RunAsync(db.ConcernReports.AsNoTracking()
                    .Where(r => r.MunicipalityId == municipalityId && r.ReceivedAt >= start && r.ReceivedAt < end)
                    .GroupBy(r => new { Month = MonthOf(r.ReceivedAt), r.State })
                    .Select(g => new { g.Key.Month, g.Key.State, Count = g.Count() }), ct);
                Add("ConcernReports", ConcernReportsReceived, received.Select(r => (r.Month, r.State switch
                {
                    ConcernReportState.InvestigationOpened or ConcernReportState.InvestigationClosed => 0,
                    ConcernReportState.NoInvestigation => 1,
                    _ => 2,
                }, r.Count)));
            },
            async (db, ct) =>
            {
                // A statutory deadline counts in the month it fell due (before the cutoff): met when completed by then.
                var reportIds = db.ConcernReports.AsNoTracking().Where(r => r.MunicipalityId == municipalityId).Select(r => (Guid?)r.Id);
                var deadlines = await months.RunAsync(db.Set<Deadline>().AsNoTracking()
                    .Where(d => StatutoryKinds.Contains(d.Kind) && d.State != DeadlineState.Cancelled && d.DueAt >= start && d.DueAt < end
                        && reportIds.Contains(EF.Property<Guid?>(d, Aggregates.ConcernReportId)))
                    .GroupBy(d => new { Month = MonthOf(d.DueAt), d.Kind, Met = d.State == DeadlineState.Completed && d.ClosedAt <= d.DueAt })
                    .Select(g => new { g.Key.Month, g.Key.Kind, g.Key.Met, Count = g.Count() }), ct);
                Add("ConcernReports", StatutoryDeadlines, deadlines.Select(r => (r.Month, Array.IndexOf(StatutoryKinds, r.Kind) * 2 + (r.Met ? 0 : 1), r.Count)));
            },
        ];
    }

    /// <summary>Empty counts of every group, for <see cref="CountQueries"/> to fill.</summary>
    public static Dictionary<string, GroupCounts> NewCounts() => Groups.ToDictionary(g => g.Name, _ => new GroupCounts());

    /// <summary>Consents that became valid in the period: how many took a given number of whole days from their request.</summary>
    public sealed record DayCount(int Current, int Days, int Count);

    /// <summary>
    /// Days from a consent's request to its becoming valid (the transition history's "→ Valid" event), as counts per
    /// whole day — in the previous period [previous, start) (Current = 0) and the period [start, end) (Current = 1). The
    /// database groups by the day count, so what leaves it is a short list of (days, how many), never a consent or a case;
    /// the median is taken from that list (<see cref="Median"/>). SQL per provider: SQLite stores instants as UTC ticks,
    /// PostgreSQL as timestamptz. The municipality is a semi-join on the event's own case id (the municipality's case ids
    /// are read from an index and hashed once); a join through the consent's case probed the case table once per consent.
    /// </summary>
    public static async Task<List<DayCount>> ConsentDaysAsync(
        SspfDbContext db, Guid municipalityId, DateTimeOffset previous, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        object At(DateTimeOffset at) => postgres ? at.ToUniversalTime() : at.UtcTicks;
        // date_part is double precision; EXTRACT is numeric, whose division cost a sixth of the query (100,000 rows).
        var days = postgres
            ? "CAST(FLOOR(date_part('epoch', t.\"At\" - c.\"RequestedAt\") / 86400) AS INTEGER)"
            : "CAST((t.\"At\" - c.\"RequestedAt\") / 864000000000 AS INTEGER)";
        var sql = $$"""
            SELECT CASE WHEN t."At" >= {0} THEN 1 ELSE 0 END AS "Current", {{days}} AS "Days", CAST(COUNT(*) AS INTEGER) AS "Count"
            FROM "TransitionEvents" t
            JOIN "Consents" c ON c."Id" = t."SubjectId"
            WHERE t."Workflow" = {1} AND t."To" = {2} AND t."At" >= {4} AND t."At" < {5}
              AND t."CaseId" IN (SELECT "Id" FROM "Cases" WHERE "MunicipalityId" = {3})
            GROUP BY 1, 2
            """;
        return await db.Database.SqlQueryRaw<DayCount>(sql,
            At(start), Consent.WorkflowName, nameof(ConsentState.Valid), municipalityId, At(previous), At(end)).ToListAsync(ct);
    }

    /// <summary>The median of a list of (value, how many), or null when it has fewer than <paramref name="minimum"/> values.</summary>
    public static double? Median(IEnumerable<(int Value, int Count)> counts, int minimum)
    {
        var sorted = counts.Where(c => c.Count > 0).OrderBy(c => c.Value).ToList();
        var n = sorted.Sum(c => c.Count);
        if (n < minimum || n == 0) return null;
        int At(int k) // the k-th value (0-based)
        {
            foreach (var (value, count) in sorted)
            {
                if (k < count) return value;
                k -= count;
            }
            throw new InvalidOperationException();
        }
        return n % 2 == 1 ? At(n / 2) : (At(n / 2 - 1) + At(n / 2)) / 2.0;
    }

    /// <summary>
    /// The first calendar year (Swedish time) in which the municipality opened a case, or null: the stock of open cases
    /// is zero before it, so its protection chain starts there (<see cref="StatisticsGrid"/>).
    /// </summary>
    public static async Task<int?> FirstYearAsync(SspfDbContext db, Guid municipalityId, CancellationToken ct)
    {
        var first = await db.Cases.AsNoTracking().Where(c => c.MunicipalityId == municipalityId)
            .OrderBy(c => c.OpenedAt).Select(c => (DateTimeOffset?)c.OpenedAt).FirstOrDefaultAsync(ct);
        return first is { } at ? SwedishCalendar.DateOf(at).Year : null;
    }

    /// <summary>
    /// Whether the municipality has fewer than <see cref="SmallNumberProtection.Threshold"/> cases in the period (opened
    /// before its end and neither closed nor declined before its start): then only totals are answered. A declined case
    /// has no ClosedAt (and Declined is final): its decline is the history's transition into Declined.
    /// </summary>
    public static async Task<bool> FewCasesAsync(SspfDbContext db, Guid municipalityId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var declinedBefore = db.Set<TransitionEvent>().AsNoTracking()
            .Where(t => t.Workflow == Case.WorkflowName && t.To == nameof(CaseState.Declined) && t.At < start)
            .Select(t => EF.Property<Guid?>(t, Aggregates.CaseId));
        return await db.Cases.AsNoTracking()
            .Where(c => c.MunicipalityId == municipalityId && c.OpenedAt < end && (c.ClosedAt == null || c.ClosedAt >= start)
                && !declinedBefore.Contains(c.Id))
            .Take(SmallNumberProtection.Threshold).CountAsync(ct) < SmallNumberProtection.Threshold;
    }

    /// <summary>The first instant of a calendar month in Swedish time.</summary>
    public static DateTimeOffset StartOf(YearMonth month)
    {
        var local = new DateTime(month.Year, month.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, SwedishCalendar.TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Months [first, last] as a balanced CASE over their start instants (a handful of comparisons per row).</summary>
    private sealed class MonthBuckets(YearMonth first, YearMonth last, DateTimeOffset cutoff) : ExpressionVisitor
    {
        private readonly DateTimeOffset[] starts = [.. Enumerable.Range(0, last.Index - first.Index + 2).Select(i => StartOf(first.Plus(i)))];

        public DateTimeOffset Start => starts[0];
        public DateTimeOffset End => starts[^1] < cutoff ? starts[^1] : cutoff;

        public Task<List<T>> RunAsync<T>(IQueryable<T> query, CancellationToken ct) =>
            query.Provider.CreateQuery<T>(Visit(query.Expression)).ToListAsync(ct);

        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method.DeclaringType == typeof(StatisticsQueries) && node.Method.Name == nameof(MonthOf)
                ? Bucket(Visit(node.Arguments[0]), 0, starts.Length - 2)
                : base.VisitMethodCall(node);

        /// <summary>The month index in [low, high] of <paramref name="at"/>, which the query has already limited to the range.</summary>
        private Expression Bucket(Expression at, int low, int high)
        {
            if (low == high) return Expression.Constant(low);
            var mid = (low + high + 1) / 2;
            return Expression.Condition(Expression.LessThan(at, Expression.Constant(starts[mid])), Bucket(at, low, mid - 1), Bucket(at, mid, high));
        }
    }
}
