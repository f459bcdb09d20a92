namespace SspfSamordning.Domain.Statistics;

/// <summary>A breakdown of a population: its rows, in the order they are published.</summary>
public sealed record Dimension(string Name, IReadOnlyList<string> Rows);

/// <summary>
/// Things counted per calendar month (cases opened, meetings held, …). With several dimensions the counts are joint
/// (a row of each dimension per count), so that the tables of one population are protected together: they share the total.
/// </summary>
public sealed record Population(string Name, IReadOnlyList<Dimension> Dimensions)
{
    public int JointSize => Dimensions.Aggregate(1, (size, d) => size * d.Rows.Count);

    /// <summary>The row of dimension <paramref name="dimension"/> that a joint index falls in (mixed radix, first dimension slowest).</summary>
    public int RowOf(int joint, int dimension)
    {
        for (var d = Dimensions.Count - 1; d > dimension; d--) joint /= Dimensions[d].Rows.Count;
        return joint % Dimensions[dimension].Rows.Count;
    }
}

/// <summary>
/// A stock published at the end of every month (e.g. cases open at the period's end): opening + Σ inflows − Σ outflows
/// since the first counted month, when it was zero. A flow that is not one of the group's populations (reopened,
/// declined) is counted but never published; the protection assumes a reader knows it anyway (the safe side).
/// </summary>
public sealed record Stock(string Name, IReadOnlyList<string> Inflows, IReadOnlyList<string> Outflows);

/// <summary>
/// Populations published side by side. Each is protected on its own (they count different things), unless the group
/// has a <see cref="Stock"/>: a stock ties its flows together, so the group is then one system.
/// </summary>
public sealed record MeasureGroup(string Name, IReadOnlyList<Population> Populations, Stock? Stock = null);

/// <summary>A calendar month: Year and Month 1–12.</summary>
public readonly record struct YearMonth(int Year, int Month) : IComparable<YearMonth>
{
    public int Index => Year * 12 + Month - 1;
    public static YearMonth FromIndex(int index) => new(index / 12, index % 12 + 1);
    public YearMonth Plus(int months) => FromIndex(Index + months);
    public int CompareTo(YearMonth other) => Index.CompareTo(other.Index);
    public override string ToString() => $"{Year:D4}-{Month:D2}";
}

/// <summary>The counts of one group: per population, (month, joint index) → count.</summary>
public sealed class GroupCounts
{
    public Dictionary<string, Dictionary<(YearMonth Month, int Joint), long>> Flows { get; } = [];

    public void Add(string population, YearMonth month, int joint, long count)
    {
        if (!Flows.TryGetValue(population, out var counts)) Flows[population] = counts = [];
        counts[(month, joint)] = counts.GetValueOrDefault((month, joint)) + count;
    }

    public long Flow(string population, YearMonth month, int joint) =>
        Flows.TryGetValue(population, out var counts) ? counts.GetValueOrDefault((month, joint)) : 0;
}

/// <summary>A published number: its value (meaningful only when shown) and its disclosure.</summary>
public readonly record struct Figure(long Value, Disclosure Disclosure)
{
    public static Figure Zero { get; } = new(0, Disclosure.Shown);
    public long? Count => Disclosure == Disclosure.Shown ? Value : null;
    public string Display => Disclosure switch { Disclosure.Shown => Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Disclosure.Small => "<5", _ => "X" };
}

/// <summary>
/// The protected calendar grid of one measure group (docs/statistics.md): for every calendar year, every row of every
/// dimension and the total, per month, quarter and year, protected once by <see cref="SmallNumberProtection"/>. Every
/// request is answered from this grid only (whole years, their quarters and months), so two requests for overlapping
/// periods publish nothing the grid does not already publish, and each year's grid is audited as one system.
/// </summary>
public sealed class StatisticsGrid
{
    /// <summary>Units of a year: months 0–11, quarters 12–15, the year 16.</summary>
    public const int Units = 17;
    public const int Total = -1;

    private readonly MeasureGroup group;
    private readonly Dictionary<(string Population, int Dimension, int Row, int Year, int Unit), Figure> cells = [];

    /// <summary>
    /// Protects the years [firstYear, lastYear]. A group with a stock is protected from <paramref name="stockFrom"/> on
    /// (the first year with data, when the stock was zero: the counts must start there), year after year, because the
    /// stock at the start of a year is the stock at the end of the year before and keeps the disclosure it got there.
    /// The chain always starts at the same year, so the same counts always give the same decisions.
    /// </summary>
    public StatisticsGrid(MeasureGroup group, GroupCounts counts, int firstYear, int lastYear, int? stockFrom = null)
    {
        this.group = group;
        if (group.Stock is { } stock)
        {
            var opening = new Figure(0, Disclosure.Shown);
            for (var year = Math.Min(stockFrom ?? firstYear, firstYear); year <= lastYear; year++)
                opening = ProtectSystem(group.Populations, counts, year, (stock, opening));
        }
        else
        {
            // Populations count different things (disjoint atoms): each is its own linear system, protected on its own.
            for (var year = firstYear; year <= lastYear; year++)
                foreach (var p in group.Populations) ProtectSystem([p], counts, year, null);
        }
    }

    public MeasureGroup Group => group;

    /// <summary>A row (or <see cref="Total"/>) of a dimension over one unit of one year.</summary>
    public Figure Cell(string population, int dimension, int row, int year, int unit) =>
        cells.TryGetValue((population, row == Total ? Total : dimension, row, year, unit), out var f) ? f : Figure.Zero;

    /// <summary>
    /// A row over whole months [from, to], from the coarsest grid units that tile it: exact when every tile is shown,
    /// a single tile's own disclosure, otherwise withheld. Periods are whole years, so a sum of tiles is a sum of
    /// whole years, each protected on its own: a withheld year cannot be computed from the others.
    /// </summary>
    public Figure Over(string population, int dimension, int row, YearMonth from, YearMonth to)
    {
        if (population == group.Stock?.Name) return Cell(population, Total, Total, to.Year, to.Month - 1); // at the end of `to`
        var tiles = Tiles(from, to).Select(t => Cell(population, dimension, row, t.Year, t.Unit)).ToList();
        if (tiles.Count == 1) return tiles[0];
        return tiles.All(t => t.Disclosure == Disclosure.Shown)
            ? new Figure(tiles.Sum(t => t.Value), Disclosure.Shown)
            : new Figure(tiles.Sum(t => t.Value), Disclosure.Withheld);
    }

    /// <summary>Whole years, then whole quarters, then months: the coarsest units that exactly cover [from, to].</summary>
    public static IEnumerable<(int Year, int Unit)> Tiles(YearMonth from, YearMonth to)
    {
        var m = from;
        while (m.CompareTo(to) <= 0)
        {
            if (m.Month == 1 && m.Plus(11).CompareTo(to) <= 0)
            {
                yield return (m.Year, 16);
                m = m.Plus(12);
            }
            else if ((m.Month - 1) % 3 == 0 && m.Plus(2).CompareTo(to) <= 0)
            {
                yield return (m.Year, 12 + (m.Month - 1) / 3);
                m = m.Plus(3);
            }
            else
            {
                yield return (m.Year, m.Month - 1);
                m = m.Plus(1);
            }
        }
    }

    /// <summary>The months (0–11) of a unit of a year.</summary>
    public static IEnumerable<int> MonthsOf(int unit) =>
        unit < 12 ? [unit] : unit < 16 ? Enumerable.Range((unit - 12) * 3, 3) : Enumerable.Range(0, 12);

    /// <summary>
    /// Protects one year of the populations (one linear system) and, for a stock, its month-end values; returns the
    /// stock at the year's end with its disclosure, which the next year starts from.
    /// </summary>
    private Figure ProtectSystem(IReadOnlyList<Population> populations, GroupCounts counts, int year, (Stock Stock, Figure Opening)? stock)
    {
        var list = new List<ProtectedCell>();
        var keys = new List<(string Population, int Dimension, int Row, int Unit)>();
        var lines = new List<CellLine>();
        const int AtomsPerPopulation = 1 << 20;
        int Atom(int population, int joint, int month) => population * AtomsPerPopulation + joint * 12 + month;
        foreach (var (p, pi) in populations.Select((p, i) => (p, i)))
        {
            var index = new Dictionary<(int Dimension, int Row, int Unit), int>();
            void AddCell(int dimension, int row, int unit, Func<int, bool> includes)
            {
                var terms = new Dictionary<int, int>();
                long value = 0;
                for (var joint = 0; joint < p.JointSize; joint++)
                {
                    if (!includes(joint)) continue;
                    foreach (var month in MonthsOf(unit))
                    {
                        terms[Atom(pi, joint, month)] = 1;
                        value += counts.Flow(p.Name, new YearMonth(year, month + 1), joint);
                    }
                }
                index[(dimension, row, unit)] = list.Count;
                list.Add(new ProtectedCell(value, terms));
                keys.Add((p.Name, dimension, row, unit));
            }
            for (var unit = 0; unit < Units; unit++) AddCell(Total, Total, unit, _ => true);
            for (var d = 0; d < p.Dimensions.Count; d++)
            {
                for (var row = 0; row < p.Dimensions[d].Rows.Count; row++)
                {
                    var (dd, rr) = (d, row);
                    for (var unit = 0; unit < Units; unit++) AddCell(d, row, unit, joint => p.RowOf(joint, dd) == rr);
                }
            }
            // Lines: the year over its quarters and over its months, each quarter over its months, each unit over the rows.
            var rows = new List<(int Dimension, int Row)> { (Total, Total) };
            for (var d = 0; d < p.Dimensions.Count; d++) rows.AddRange(Enumerable.Range(0, p.Dimensions[d].Rows.Count).Select(r => (d, r)));
            foreach (var (d, r) in rows)
            {
                lines.Add(new CellLine(index[(d, r, 16)], [.. Enumerable.Range(12, 4).Select(q => index[(d, r, q)])]));
                lines.Add(new CellLine(index[(d, r, 16)], [.. Enumerable.Range(0, 12).Select(m => index[(d, r, m)])]));
                for (var q = 0; q < 4; q++) lines.Add(new CellLine(index[(d, r, 12 + q)], [.. MonthsOf(12 + q).Select(m => index[(d, r, m)])]));
            }
            for (var d = 0; d < p.Dimensions.Count; d++)
            {
                for (var unit = 0; unit < Units; unit++)
                {
                    var (dd, uu) = (d, unit);
                    lines.Add(new CellLine(index[(Total, Total, unit)], [.. Enumerable.Range(0, p.Dimensions[d].Rows.Count).Select(r => index[(dd, r, uu)])]));
                }
            }
        }

        var stockCells = stock is { } s ? AddStock(s.Stock, s.Opening) : -1;
        int AddStock(Stock st, Figure opening)
        {
            // The stock at the end of month m = opening + flows in − flows out up to m. The opening is the year before's
            // end (its disclosure kept, never a complement); a hidden flow is treated as shown: a reader may know it.
            var flows = st.Inflows.Select(n => (Name: n, Sign: 1)).Concat(st.Outflows.Select(n => (Name: n, Sign: -1))).ToList();
            var openingAtom = (populations.Count + flows.Count) * AtomsPerPopulation;
            list.Add(new ProtectedCell(opening.Value, new Dictionary<int, int> { [openingAtom] = 1 }, opening.Disclosure));
            keys.Add(("", Total, Total, -1));
            foreach (var (flow, fi) in flows.Select((f, i) => (f, i)).Where(f => populations.All(p => p.Name != f.f.Name)))
            {
                for (var month = 0; month < 12; month++)
                {
                    list.Add(new ProtectedCell(counts.Flow(flow.Name, new YearMonth(year, month + 1), 0),
                        new Dictionary<int, int> { [Atom(populations.Count + fi, 0, month)] = 1 }, Disclosure.Shown));
                    keys.Add(("", Total, Total, -1));
                }
            }
            var first = list.Count;
            var terms = new Dictionary<int, int> { [openingAtom] = 1 };
            var value = opening.Value;
            for (var month = 0; month < 12; month++)
            {
                foreach (var (flow, fi) in flows.Select((f, i) => (f, i)))
                {
                    var pi = populations.ToList().FindIndex(p => p.Name == flow.Name);
                    var size = pi < 0 ? 1 : populations[pi].JointSize;
                    for (var joint = 0; joint < size; joint++)
                    {
                        terms[Atom(pi < 0 ? populations.Count + fi : pi, joint, month)] = flow.Sign;
                        value += flow.Sign * counts.Flow(flow.Name, new YearMonth(year, month + 1), joint);
                    }
                }
                list.Add(new ProtectedCell(value, new Dictionary<int, int>(terms)));
                keys.Add((st.Name, Total, Total, month));
            }
            return first;
        }

        var status = SmallNumberProtection.Protect(list, lines);
        for (var i = 0; i < list.Count; i++)
        {
            var (population, dimension, row, unit) = keys[i];
            if (unit >= 0) cells[(population, dimension, row, year, unit)] = new Figure(list[i].Value, status[i]);
        }
        return stockCells < 0 ? Figure.Zero : new Figure(list[stockCells + 11].Value, status[stockCells + 11]);
    }
}
