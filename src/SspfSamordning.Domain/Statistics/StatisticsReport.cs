namespace SspfSamordning.Domain.Statistics;

public enum Breakdown
{
    None,
    Quarter,
    Month,
}

/// <summary>A part of the period (a quarter or month, cut at the period's ends).</summary>
public sealed record Slice(string Label, YearMonth From, YearMonth To);

/// <summary>One row of a table (<see cref="Row"/> = <see cref="StatisticsGrid.Total"/> for the total): the period, each slice, the previous period.</summary>
public sealed record ReportRow(int Row, string Label, Figure Period, IReadOnlyList<Figure> Slices, Figure Previous);

/// <summary>A population broken down by one dimension (<see cref="Dimension"/> = <see cref="StatisticsGrid.Total"/>: totals only).</summary>
public sealed record ReportTable(string Group, string Population, int Dimension, string DimensionName, IReadOnlyList<ReportRow> Rows);

/// <summary>Everything one statistics request publishes: read only from protected grids.</summary>
public sealed record StatisticsReport(
    YearMonth From, YearMonth To, YearMonth PreviousFrom, YearMonth PreviousTo, Breakdown Breakdown, bool TotalsOnly,
    IReadOnlyList<Slice> Slices, IReadOnlyList<ReportTable> Tables)
{
    public const string TotalLabel = "Totalt";

    /// <summary>
    /// The report for whole years [from, to] (January to December); the previous period is as many years just before.
    /// Totals only: one total per population, no breakdowns and no slices.
    /// </summary>
    public static StatisticsReport Compose(IReadOnlyList<StatisticsGrid> grids, YearMonth from, YearMonth to, Breakdown breakdown, bool totalsOnly)
    {
        var length = to.Index - from.Index + 1;
        var (previousFrom, previousTo) = (from.Plus(-length), from.Plus(-1));
        var slices = totalsOnly ? [] : SlicesOf(from, to, breakdown);
        var tables = new List<ReportTable>();
        foreach (var grid in grids)
        {
            ReportRow Row(string population, int dimension, int row, string label) => new(
                row, label, grid.Over(population, dimension, row, from, to),
                [.. slices.Select(s => grid.Over(population, dimension, row, s.From, s.To))],
                grid.Over(population, dimension, row, previousFrom, previousTo));
            foreach (var population in grid.Group.Populations)
            {
                var total = Row(population.Name, StatisticsGrid.Total, StatisticsGrid.Total, TotalLabel);
                if (totalsOnly)
                {
                    tables.Add(new ReportTable(grid.Group.Name, population.Name, StatisticsGrid.Total, TotalLabel, [total]));
                    continue;
                }
                for (var d = 0; d < population.Dimensions.Count; d++)
                {
                    var dimension = population.Dimensions[d];
                    var rows = dimension.Rows.Select((label, r) => Row(population.Name, d, r, label)).Append(total).ToList();
                    tables.Add(new ReportTable(grid.Group.Name, population.Name, d, dimension.Name, rows));
                }
            }
            // A stock (open at the end of the period, of each slice and of the previous period): one total, no breakdown.
            if (grid.Group.Stock is { } stock)
                tables.Add(new ReportTable(grid.Group.Name, stock.Name, StatisticsGrid.Total, TotalLabel,
                    [Row(stock.Name, StatisticsGrid.Total, StatisticsGrid.Total, TotalLabel)]));
        }
        return new StatisticsReport(from, to, previousFrom, previousTo, breakdown, totalsOnly, slices, tables);
    }

    public static IReadOnlyList<Slice> SlicesOf(YearMonth from, YearMonth to, Breakdown breakdown)
    {
        var slices = new List<Slice>();
        if (breakdown == Breakdown.None) return slices;
        var m = from;
        while (m.CompareTo(to) <= 0)
        {
            if (breakdown == Breakdown.Month)
            {
                slices.Add(new Slice(m.ToString(), m, m));
                m = m.Plus(1);
                continue;
            }
            var quarterEnd = new YearMonth(m.Year, ((m.Month - 1) / 3 + 1) * 3);
            var end = quarterEnd.CompareTo(to) <= 0 ? quarterEnd : to;
            slices.Add(new Slice($"{m.Year}-K{(m.Month - 1) / 3 + 1}", m, end));
            m = end.Plus(1);
        }
        return slices;
    }

    /// <summary>Every figure this report publishes (for the audit tests).</summary>
    public IEnumerable<Figure> AllFigures() => Tables.SelectMany(t => t.Rows).SelectMany(r => r.Slices.Append(r.Period).Append(r.Previous));
}
