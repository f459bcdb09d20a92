using SspfSamordning.Domain.Statistics;

namespace SspfSamordning.Domain.Tests;

/// <summary>
/// Small-number protection (docs/statistics.md). The adversary: random small datasets, two overlapping requests, and an
/// attacker who may add, subtract and scale every exact number of both responses (checked by exact linear algebra modulo
/// a large prime, independent of the production code) and who knows that the parts of a published zero are zero. No
/// suppressed number of either response may be a linear combination of the published ones.
/// </summary>
public sealed class StatisticsProtectionTests
{
    private static readonly Population Opened = new("Opened", [new Dimension("Category", ["A", "B", "C"])]);
    private static readonly Population Closed = new("Closed", [new Dimension("Reason", ["R1", "R2"])]);
    private static readonly Population Interventions = new("Interventions",
        [new Dimension("Type", ["T1", "T2"]), new Dimension("Party", ["P1", "P2", "P3"])]);
    /// <summary>Open at a month's end: opened + reopened − closed − declined (the last two flows hidden, assumed known).</summary>
    private static readonly MeasureGroup CaseFlow = new("Cases", [Opened, Closed], new Stock("Open", ["Opened", "Reopened"], ["Closed", "Declined"]));
    private static readonly string[] HiddenFlows = ["Reopened", "Declined"];
    private static readonly MeasureGroup InterventionGroup = new("Interventions", [Interventions]);
    private const int FirstYear = 2024;
    private const int LastYear = 2026;

    [Fact]
    public void Primary_OneToFourIsSmall_ZeroAndFiveAreShown()
    {
        var cells = new[] { 0L, 1, 4, 5 }.Select((v, i) => new ProtectedCell(v, new Dictionary<int, int> { [i] = 1 })).ToList();
        Assert.Equal([Disclosure.Shown, Disclosure.Small, Disclosure.Small, Disclosure.Shown], SmallNumberProtection.Protect(cells, []));
        Assert.Equal(["0", "<5", "<5", "5"], cells.Zip(SmallNumberProtection.Protect(cells, [])).Select(x => new Figure(x.First.Value, x.Second).Display));
    }

    [Fact]
    public void Complementary_TotalMinusOtherParts_NeverGivesTheSmallPart()
    {
        // A total of 3 + 7 + 9 = 19: without a complement, 19 − 7 − 9 = 3.
        var cells = new List<ProtectedCell>
        {
            new(3, new Dictionary<int, int> { [0] = 1 }),
            new(7, new Dictionary<int, int> { [1] = 1 }),
            new(9, new Dictionary<int, int> { [2] = 1 }),
            new(19, new Dictionary<int, int> { [0] = 1, [1] = 1, [2] = 1 }),
        };
        var status = SmallNumberProtection.Protect(cells, [new CellLine(3, [0, 1, 2])]);
        Assert.Equal([Disclosure.Small, Disclosure.Withheld, Disclosure.Shown, Disclosure.Shown], status);
        Assert.False(SmallNumberProtection.IsDerivable(cells, status, 0));
    }

    [Fact]
    public void Bounds_TwoSmallPartsOfEight_AreNotPinnedAtFour()
    {
        // 4 + 4 + 6 = 14: the parts "<5", "<5" and a total that leaves 8 for them pins both at 4.
        var cells = new List<ProtectedCell>
        {
            new(4, new Dictionary<int, int> { [0] = 1 }),
            new(4, new Dictionary<int, int> { [1] = 1 }),
            new(6, new Dictionary<int, int> { [2] = 1 }),
            new(14, new Dictionary<int, int> { [0] = 1, [1] = 1, [2] = 1 }),
        };
        var status = SmallNumberProtection.Protect(cells, [new CellLine(3, [0, 1, 2])]);
        Assert.Equal(Disclosure.Withheld, status[2]);
    }

    [Fact]
    public void Tiles_UseTheCoarsestCalendarUnits()
    {
        Assert.Equal([(2025, 1), (2025, 2), (2025, 13), (2025, 14), (2025, 15), (2026, 16), (2027, 0)],
            StatisticsGrid.Tiles(new YearMonth(2025, 2), new YearMonth(2027, 1)).ToList());
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 60)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Adversary_TwoOverlappingRequests_NeverRecoverASuppressedValue(int seed)
    {
        var random = new Random(seed);
        var (cases, interventions) = (RandomCounts(random, CaseFlow), RandomCounts(random, InterventionGroup));
        var grids = new[] { new StatisticsGrid(CaseFlow, cases, FirstYear, LastYear), new StatisticsGrid(InterventionGroup, interventions, FirstYear, LastYear) };
        var first = RandomPeriod(random) with { Breakdown = random.Next(2) == 0 ? Breakdown.Quarter : Breakdown.Month };
        var second = Overlapping(random, first);
        var published = new List<(Dictionary<int, long> Vector, Figure Figure, string What)>();
        foreach (var (from, to, breakdown) in new[] { first, second })
            published.AddRange(Published(StatisticsReport.Compose(grids, from, to, breakdown, totalsOnly: false), grids));

        // The report's numbers are the true counts (checked here, so that the attack below attacks the truth).
        foreach (var (vector, figure, what) in published)
            Assert.True(Evaluate(vector, cases, interventions) == figure.Value, $"{what}: {figure.Value} is not the count {Evaluate(vector, cases, interventions)}");

        // The attacker also knows the hidden flows of the stock, month by month (the protection assumes so).
        for (var m = new YearMonth(FirstYear, 1); m.Year <= LastYear; m = m.Plus(1))
            for (var h = 0; h < HiddenFlows.Length; h++)
                published.Add((new Dictionary<int, long> { [HiddenAtom(h, m)] = 1 }, new Figure(cases.Flow(HiddenFlows[h], m, 0), Disclosure.Shown), $"{HiddenFlows[h]} {m}"));
        var shown = published.Where(p => p.Figure.Disclosure == Disclosure.Shown).ToList();
        var knownZero = shown.Where(p => p.Figure.Value == 0 && p.Vector.Values.All(c => c > 0)).SelectMany(p => p.Vector.Keys).ToHashSet();
        var span = new ModularSpan(shown.Select(p => Without(p.Vector, knownZero)));
        var recovered = published.Where(p => p.Figure.Disclosure != Disclosure.Shown && span.Contains(Without(p.Vector, knownZero)))
            .Select(p => $"{p.What} = {p.Figure.Value}").ToList();
        Assert.True(recovered.Count == 0,
            $"seed {seed}, {first} and {second}: recovered {string.Join("; ", recovered)}");
        // The datasets are meant to be hard: every one of them has small values to protect.
        Assert.Contains(published, p => p.Figure.Disclosure == Disclosure.Small);
        Assert.Contains(published, p => p.What.StartsWith("Open/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Adversary_NoGridLinePinsASuppressedPartByItsBounds(int seed)
    {
        var random = new Random(seed);
        var grid = new StatisticsGrid(CaseFlow, RandomCounts(random, CaseFlow), FirstYear, LastYear);
        foreach (var year in Enumerable.Range(FirstYear, LastYear - FirstYear + 1))
        {
            foreach (var (dimension, rows) in new[] { (StatisticsGrid.Total, 1), (0, 3) })
            {
                for (var row = 0; row < rows; row++)
                {
                    var r = dimension == StatisticsGrid.Total ? StatisticsGrid.Total : row;
                    Figure Unit(int unit) => grid.Cell("Opened", dimension, r, year, unit);
                    AssertNotPinned(Unit(16), [.. Enumerable.Range(0, 12).Select(Unit)], $"seed {seed} {year} row {r} months");
                    AssertNotPinned(Unit(16), [.. Enumerable.Range(12, 4).Select(Unit)], $"seed {seed} {year} row {r} quarters");
                    for (var q = 0; q < 4; q++)
                        AssertNotPinned(Unit(12 + q), [.. StatisticsGrid.MonthsOf(12 + q).Select(Unit)], $"seed {seed} {year} row {r} Q{q + 1}");
                }
            }
            for (var unit = 0; unit < StatisticsGrid.Units; unit++)
                AssertNotPinned(grid.Cell("Opened", 0, StatisticsGrid.Total, year, unit),
                    [.. Enumerable.Range(0, 3).Select(r => grid.Cell("Opened", 0, r, year, unit))], $"seed {seed} {year} unit {unit} rows");
        }
    }

    /// <summary>Enumerates every assignment of the suppressed parts within their bounds ("&lt;5": 1–4, "X": 5–40) that adds up.</summary>
    private static void AssertNotPinned(Figure parent, IReadOnlyList<Figure> parts, string what)
    {
        if (parent.Disclosure != Disclosure.Shown) return;
        var hidden = parts.Where(p => p.Disclosure != Disclosure.Shown).ToList();
        if (hidden.Count is 0 or > 6) return;
        var rest = parent.Value - parts.Where(p => p.Disclosure == Disclosure.Shown).Sum(p => p.Value);
        var possible = hidden.Select(_ => new HashSet<long>()).ToList();
        void Walk(int i, long left, long[] chosen)
        {
            if (i == hidden.Count)
            {
                if (left != 0) return;
                for (var k = 0; k < chosen.Length; k++) possible[k].Add(chosen[k]);
                return;
            }
            var (low, high) = hidden[i].Disclosure == Disclosure.Small ? (1L, 4L) : (5L, 40L);
            for (var v = low; v <= Math.Min(high, left); v++)
            {
                chosen[i] = v;
                Walk(i + 1, left - v, chosen);
            }
        }
        Walk(0, rest, new long[hidden.Count]);
        for (var k = 0; k < hidden.Count; k++)
            Assert.True(possible[k].Count != 1, $"{what}: part {k} pinned at {string.Join(",", possible[k])}");
    }

    private static GroupCounts RandomCounts(Random random, MeasureGroup group)
    {
        var counts = new GroupCounts();
        for (var year = FirstYear; year <= LastYear; year++)
        {
            for (var month = 1; month <= 12; month++)
            {
                var ym = new YearMonth(year, month);
                if (group.Stock is not null)
                    foreach (var hidden in HiddenFlows)
                        if (random.Next(6) == 0) counts.Add(hidden, ym, 0, random.Next(1, 3));
                foreach (var p in group.Populations)
                {
                    for (var joint = 0; joint < p.JointSize; joint++)
                    {
                        // Mostly zero, often small, sometimes larger: the hard case for protection.
                        var roll = random.Next(10);
                        var n = roll < 5 ? 0 : roll < 8 ? random.Next(1, 5) : random.Next(5, 9);
                        if (n > 0) counts.Add(p.Name, ym, joint, n);
                    }
                }
            }
        }
        return counts;
    }

    /// <summary>Whole months (what the API accepts) from 2025 on, each with as many months before it as the previous period.</summary>
    private static (YearMonth From, YearMonth To, Breakdown Breakdown) RandomPeriod(Random random)
    {
        var first = new YearMonth(2025, 1).Index;
        var from = random.Next(first, first + 24);
        return (YearMonth.FromIndex(from), YearMonth.FromIndex(random.Next(from, first + 24)), (Breakdown)random.Next(3));
    }

    private static (YearMonth From, YearMonth To, Breakdown Breakdown) Overlapping(Random random, (YearMonth From, YearMonth To, Breakdown Breakdown) first)
    {
        var from = random.Next(new YearMonth(2025, 1).Index, first.To.Index + 1);
        var to = random.Next(Math.Max(from, first.From.Index), new YearMonth(LastYear, 12).Index + 1);
        return (YearMonth.FromIndex(from), YearMonth.FromIndex(to), (Breakdown)random.Next(3));
    }

    // ---- What a response publishes, as vectors over the atoms (population, joint row, month) — built here, not by the grid.

    private static int AtomOf(Population p, int joint, YearMonth month) =>
        (p == Opened ? 0 : p == Closed ? 1 : 2) * 1_000_000 + joint * 10_000 + month.Index - FirstYear * 12 + 1;

    private static int HiddenAtom(int hidden, YearMonth month) => (3 + hidden) * 1_000_000 + month.Index - FirstYear * 12 + 1;

    /// <summary>Open at the end of <paramref name="at"/>: zero before the first year, then every flow up to that month.</summary>
    private static Dictionary<int, long> OpenAt(YearMonth at)
    {
        var vector = new Dictionary<int, long>();
        for (var m = new YearMonth(FirstYear, 1); m.CompareTo(at) <= 0; m = m.Plus(1))
        {
            for (var joint = 0; joint < Opened.JointSize; joint++) vector[AtomOf(Opened, joint, m)] = 1;
            for (var joint = 0; joint < Closed.JointSize; joint++) vector[AtomOf(Closed, joint, m)] = -1;
            vector[HiddenAtom(0, m)] = 1;
            vector[HiddenAtom(1, m)] = -1;
        }
        return vector;
    }

    /// <summary>
    /// A period of several grid units (years, quarters, months) that is "X" (some unit is suppressed) stands for its units:
    /// each unit's own figure (as a request for it alone would publish it) is what must stay unknown. The stock of open
    /// cases ties the units together, so the sum of two suppressed units can follow from the stocks at the ends; that
    /// reveals neither unit.
    /// </summary>
    private static IEnumerable<(Dictionary<int, long>, Figure, string)> Published(StatisticsReport report, IReadOnlyList<StatisticsGrid> grids)
    {
        foreach (var (vector, figure, what, p, dimension, row, from, to) in PublishedRanges(report))
        {
            if (StatisticsGrid.Tiles(from, to).Count() == 1 || figure.Disclosure == Disclosure.Shown || p is null)
            {
                yield return (vector, figure, what);
                continue;
            }
            var grid = grids.Single(g => g.Group.Populations.Contains(p));
            foreach (var (year, unit) in StatisticsGrid.Tiles(from, to))
            {
                var months = StatisticsGrid.MonthsOf(unit).ToList();
                var (tileFrom, tileTo) = (new YearMonth(year, months[0] + 1), new YearMonth(year, months[^1] + 1));
                yield return (Flow(p, dimension, row, tileFrom, tileTo), grid.Over(p.Name, dimension, row, tileFrom, tileTo), $"{what} tile {tileFrom}..{tileTo}");
            }
        }
    }

    private static IEnumerable<(Dictionary<int, long>, Figure, string, Population?, int, int, YearMonth, YearMonth)> PublishedRanges(StatisticsReport report)
    {
        var populations = new[] { Opened, Closed, Interventions }.ToDictionary(p => p.Name);
        foreach (var table in report.Tables)
        {
            if (table.Population == "Open")
            {
                var row = Assert.Single(table.Rows);
                yield return (OpenAt(report.To), row.Period, $"Open/ at {report.To}", null, 0, 0, report.To, report.To);
                yield return (OpenAt(report.PreviousTo), row.Previous, $"Open/ at {report.PreviousTo}", null, 0, 0, report.PreviousTo, report.PreviousTo);
                for (var s = 0; s < report.Slices.Count; s++)
                    yield return (OpenAt(report.Slices[s].To), row.Slices[s], $"Open/ at {report.Slices[s].To}", null, 0, 0, report.Slices[s].To, report.Slices[s].To);
                continue;
            }
            var p = populations[table.Population];
            foreach (var row in table.Rows)
            {
                yield return (Flow(p, table.Dimension, row.Row, report.From, report.To), row.Period, $"{p.Name}/{row.Label} {report.From}..{report.To}",
                    p, table.Dimension, row.Row, report.From, report.To);
                yield return (Flow(p, table.Dimension, row.Row, report.PreviousFrom, report.PreviousTo), row.Previous, $"{p.Name}/{row.Label} previous",
                    p, table.Dimension, row.Row, report.PreviousFrom, report.PreviousTo);
                for (var s = 0; s < report.Slices.Count; s++)
                    yield return (Flow(p, table.Dimension, row.Row, report.Slices[s].From, report.Slices[s].To), row.Slices[s], $"{p.Name}/{row.Label} {report.Slices[s].Label}",
                        p, table.Dimension, row.Row, report.Slices[s].From, report.Slices[s].To);
            }
        }
    }

    private static Dictionary<int, long> Flow(Population p, int dimension, int row, YearMonth from, YearMonth to)
    {
        var vector = new Dictionary<int, long>();
        for (var m = from; m.CompareTo(to) <= 0; m = m.Plus(1))
        {
            if (m.Year < FirstYear) continue;
            for (var joint = 0; joint < p.JointSize; joint++)
                if (row == StatisticsGrid.Total || p.RowOf(joint, dimension) == row) vector[AtomOf(p, joint, m)] = 1;
        }
        return vector;
    }

    private static long Evaluate(Dictionary<int, long> vector, GroupCounts cases, GroupCounts interventions) =>
        vector.Sum(term =>
        {
            var (population, joint, month) = (term.Key / 1_000_000, term.Key % 1_000_000 / 10_000, YearMonth.FromIndex(term.Key % 10_000 - 1 + FirstYear * 12));
            var count = population switch
            {
                0 => cases.Flow("Opened", month, joint),
                1 => cases.Flow("Closed", month, joint),
                3 => cases.Flow("Reopened", month, joint),
                4 => cases.Flow("Declined", month, joint),
                _ => interventions.Flow("Interventions", month, joint),
            };
            return term.Value * count;
        });

    private static Dictionary<int, long> Without(Dictionary<int, long> vector, HashSet<int> knownZero) =>
        vector.Where(t => !knownZero.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value);

    /// <summary>Row echelon basis over GF(p), p = 2^31 − 1: exact, and independent of the production code's floating point.</summary>
    private sealed class ModularSpan
    {
        private const long P = 2_147_483_647;
        private readonly List<(int Pivot, Dictionary<int, long> Row)> basis = [];

        public ModularSpan(IEnumerable<Dictionary<int, long>> vectors)
        {
            foreach (var v in vectors)
            {
                var r = Reduce(v);
                if (r.Count == 0) continue;
                var pivot = r.Keys.Min();
                var inverse = Power(r[pivot], P - 2);
                basis.Add((pivot, r.ToDictionary(t => t.Key, t => t.Value * inverse % P)));
            }
        }

        public bool Contains(Dictionary<int, long> vector) => Reduce(vector).Count == 0;

        private Dictionary<int, long> Reduce(Dictionary<int, long> vector)
        {
            var r = vector.ToDictionary(t => t.Key, t => (t.Value % P + P) % P);
            foreach (var (pivot, row) in basis)
            {
                if (!r.TryGetValue(pivot, out var f) || f == 0) continue;
                foreach (var (k, v) in row) r[k] = ((r.GetValueOrDefault(k) - f * v % P) % P + P) % P;
            }
            return r.Where(t => t.Value != 0).ToDictionary();
        }

        private static long Power(long b, long e)
        {
            long result = 1;
            b %= P;
            for (; e > 0; e >>= 1, b = b * b % P) if ((e & 1) == 1) result = result * b % P;
            return result;
        }
    }
}
