namespace SspfSamordning.Domain.Statistics;

/// <summary>How a published number is shown.</summary>
public enum Disclosure
{
    /// <summary>The exact value.</summary>
    Shown,
    /// <summary>1–4: shown as "&lt;5" (primary suppression).</summary>
    Small,
    /// <summary>Withheld so that a small value cannot be computed from the others (complementary suppression): shown as "X".</summary>
    Withheld,
}

/// <summary>
/// One number of a table system: its value and what it is made of, as integer coefficients over atoms (the finest
/// counts, which are never published as such). A cell of a table is the sum of its atoms (coefficients 1); other
/// coefficients allow a number that is a difference (a stock: inflows minus outflows). <paramref name="Fixed"/> is a
/// disclosure decided elsewhere (the year before): kept as is and never chosen as a complement.
/// </summary>
public sealed record ProtectedCell(long Value, IReadOnlyDictionary<int, int> Terms, Disclosure? Fixed = null);

/// <summary>A published total and the published cells that add up to it (a row or column of a table).</summary>
public sealed record CellLine(int Parent, IReadOnlyList<int> Children);

/// <summary>
/// Small-number protection of one table system (docs/statistics.md): primary suppression of 1–4, then complementary
/// suppression until (1) no suppressed cell is a linear combination of the shown cells — the attacker may subtract,
/// add and scale any published numbers and knows that the atoms of a shown zero are zero — and (2) no line (a total and
/// its parts) pins a suppressed part by its bounds (each "&lt;5" is 1–4, each "X" at least 1 and normally 5 or more).
/// Pure and deterministic: the same counts always give the same answer, whoever asks.
/// </summary>
public static class SmallNumberProtection
{
    public const int Threshold = 5;
    private const double Epsilon = 1e-9;

    public static Disclosure[] Protect(IReadOnlyList<ProtectedCell> cells, IReadOnlyList<CellLine> lines)
    {
        var status = cells.Select(c => c.Fixed ?? (c.Value is > 0 and < Threshold ? Disclosure.Small : Disclosure.Shown)).ToArray();
        var atomCounts = cells.Select(c => c.Terms.Count).ToArray();
        for (var round = 0; round <= cells.Count; round++)
        {
            // One complement per disclosed cell per round (then the span is computed again): few rounds, a little more
            // suppression than one complement at a time would need; the loop ends only when nothing is disclosed.
            var picks = DisclosedByCombination(cells, status, atomCounts);
            if (picks.Count == 0) picks = PinnedByBounds(cells, status, lines, atomCounts);
            if (picks.Count == 0) return status;
            foreach (var pick in picks) status[pick] = Disclosure.Withheld;
        }
        return status;
    }

    /// <summary>True when the cell's value follows exactly from the shown cells (used by tests and the audit).</summary>
    public static bool IsDerivable(IReadOnlyList<ProtectedCell> cells, IReadOnlyList<Disclosure> status, int cell) =>
        new Span(cells, status).Combination(cells[cell]) is not null;

    /// <summary>A complement for each suppressed cell that the shown cells determine (none when none is).</summary>
    private static List<int> DisclosedByCombination(IReadOnlyList<ProtectedCell> cells, Disclosure[] status, int[] atomCounts)
    {
        var span = new Span(cells, status);
        var picks = new List<int>();
        for (var i = 0; i < cells.Count; i++)
        {
            if (status[i] == Disclosure.Shown || span.Combination(cells[i]) is not { } combination) continue;
            var support = Enumerable.Range(0, span.Published.Count).Where(k => Math.Abs(combination[k]) > Epsilon)
                .Select(k => span.Published[k]).ToList();
            if (support.Any(picks.Contains)) continue; // this round already breaks that combination
            if (Complement(cells, status, support, atomCounts) is { } pick) picks.Add(pick);
        }
        return picks;
    }

    /// <summary>
    /// A complement for a line whose shown total fixes the sum D of its suppressed parts at one of its extremes: k
    /// "&lt;5" parts (1–4 each) and j "X" parts (at least 1; normally 5 or more) are all pinned when D = k + j,
    /// D = k + 5j, or (with no "X") D = 4k. A "&lt;5" total of four "&lt;5" parts pins them all at 1.
    /// </summary>
    private static List<int> PinnedByBounds(IReadOnlyList<ProtectedCell> cells, Disclosure[] status, IReadOnlyList<CellLine> lines, int[] atomCounts)
    {
        var picks = new List<int>();
        foreach (var line in lines)
        {
            if (picks.Contains(line.Parent) || line.Children.Any(picks.Contains)) continue; // this round changes that line already
            var small = line.Children.Count(c => status[c] == Disclosure.Small);
            var withheld = line.Children.Count(c => status[c] == Disclosure.Withheld);
            if (small + withheld == 0) continue;
            bool pinned;
            if (status[line.Parent] == Disclosure.Shown)
            {
                var d = cells[line.Parent].Value - line.Children.Where(c => status[c] == Disclosure.Shown).Sum(c => cells[c].Value);
                pinned = d == small + withheld || d == small + Threshold * withheld || (withheld == 0 && d == (Threshold - 1) * small);
            }
            else
            {
                pinned = status[line.Parent] == Disclosure.Small && small == Threshold - 1;
            }
            if (!pinned) continue;
            if (Complement(cells, status, line.Children, atomCounts) is { } child) picks.Add(child);
            else if (cells[line.Parent].Fixed is null && status[line.Parent] != Disclosure.Withheld) picks.Add(line.Parent);
        }
        return picks;
    }

    /// <summary>The shown, not fixed candidate (positive, or a difference) with the fewest atoms and then the smallest value: keeps totals shown.</summary>
    private static int? Complement(IReadOnlyList<ProtectedCell> cells, Disclosure[] status, IEnumerable<int> candidates, int[] atomCounts)
    {
        int? best = null;
        foreach (var c in candidates)
        {
            // A zero that is a plain sum is left alone (its parts are zero whatever is shown); a difference (a stock) of
            // zero or less is not a known zero and may be withheld.
            if (status[c] != Disclosure.Shown || cells[c].Fixed is not null || (cells[c].Value <= 0 && cells[c].Terms.Values.All(t => t > 0))) continue;
            if (best is not { } b || (atomCounts[c], cells[c].Value, c).CompareTo((atomCounts[b], cells[b].Value, b)) < 0) best = c;
        }
        return best;
    }

    /// <summary>The span of the shown cells over the atoms not known to be zero, with each basis row's combination of shown cells.</summary>
    private sealed class Span
    {
        private readonly Dictionary<int, int> column = [];
        /// <summary>Basis rows with their nonzero positions only: the rows are sparse, and reduction is the hot loop.</summary>
        private readonly List<(int Pivot, int[] At, double[] Values, int[] CombinationAt, double[] CombinationValues)> basis = [];

        public List<int> Published { get; } = [];

        public Span(IReadOnlyList<ProtectedCell> cells, IReadOnlyList<Disclosure> status)
        {
            var knownZero = new HashSet<int>();
            for (var i = 0; i < cells.Count; i++)
            {
                if (status[i] != Disclosure.Shown) continue;
                Published.Add(i);
                if (cells[i].Value == 0 && cells[i].Terms.Values.All(t => t > 0)) knownZero.UnionWith(cells[i].Terms.Keys);
            }
            // The finest cells first (months before quarters before years, rows before totals): a coarser cell is then
            // mostly a sum of basis rows already there and reduces in a few steps, and the basis stays sparse. In cell
            // order, a year total came first and every month after it filled its row in: several times slower.
            Published.Sort((a, b) => (cells[a].Terms.Count, a).CompareTo((cells[b].Terms.Count, b)));
            foreach (var atom in cells.SelectMany(c => c.Terms.Keys).Where(a => !knownZero.Contains(a)).Distinct().Order())
                column[atom] = column.Count;
            for (var k = 0; k < Published.Count; k++)
            {
                var vector = Vector(cells[Published[k]]);
                var combination = new double[Published.Count];
                combination[k] = 1;
                Reduce(vector, combination);
                var pivot = Array.FindIndex(vector, x => Math.Abs(x) > Epsilon);
                if (pivot < 0) continue;
                var scale = vector[pivot];
                var (at, values) = Sparse(vector, scale);
                var (combinationAt, combinationValues) = Sparse(combination, scale);
                basis.Add((pivot, at, values, combinationAt, combinationValues));
            }
        }

        /// <summary>Coefficients over <see cref="Published"/> that give the cell exactly, or null when none do.</summary>
        public double[]? Combination(ProtectedCell cell)
        {
            var vector = Vector(cell);
            var combination = new double[Published.Count];
            Reduce(vector, combination);
            if (vector.Any(x => Math.Abs(x) > Epsilon)) return null;
            for (var x = 0; x < combination.Length; x++) combination[x] = -combination[x];
            return combination;
        }

        private double[] Vector(ProtectedCell cell)
        {
            var vector = new double[column.Count];
            foreach (var (atom, coefficient) in cell.Terms)
                if (column.TryGetValue(atom, out var x)) vector[x] += coefficient;
            return vector;
        }

        private void Reduce(double[] vector, double[] combination)
        {
            foreach (var (pivot, at, values, combinationAt, combinationValues) in basis)
            {
                var f = vector[pivot];
                if (Math.Abs(f) <= Epsilon) continue;
                for (var k = 0; k < at.Length; k++) vector[at[k]] -= f * values[k];
                for (var k = 0; k < combinationAt.Length; k++) combination[combinationAt[k]] -= f * combinationValues[k];
            }
        }

        private static (int[] At, double[] Values) Sparse(double[] dense, double scale)
        {
            var at = new List<int>();
            var values = new List<double>();
            for (var x = 0; x < dense.Length; x++)
            {
                if (Math.Abs(dense[x]) <= Epsilon) continue;
                at.Add(x);
                values.Add(dense[x] / scale);
            }
            return ([.. at], [.. values]);
        }
    }
}
