using System.Diagnostics;
using System.Text;
using SspfSamordning.Api.Features.Statistics;
using SspfSamordning.Domain.Statistics;

/// <summary>
/// The small-number protection of one calendar year of a measure group (issue 20): a pure function, timed in-process on
/// synthetic counts — the worst case (every cell small and dense), a busy municipality (counts in the tens) and a
/// sparse one (mostly zero). Medians of repeated runs, milliseconds per grid year.
/// </summary>
public static class ProtectionBench
{
    public static int Run(string? outFile)
    {
        var report = new StringBuilder();
        void Line(string text) { Console.WriteLine(text); report.AppendLine(text); }
        Line($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores (shared machine: medians).");
        Line("");
        Line("| group | counts | ms per grid year (median) | min |");
        Line("|---|---|---:|---:|");
        foreach (var group in StatisticsQueries.Groups)
        {
            foreach (var (label, low, high, zeroShare) in new[] { ("small, dense (1-4)", 1, 5, 0.0), ("tens", 10, 60, 0.0), ("sparse (80 % zero)", 1, 9, 0.8) })
            {
                var random = new Random(20);
                var counts = new GroupCounts();
                for (var month = 1; month <= 12; month++)
                {
                    foreach (var p in group.Populations)
                        for (var joint = 0; joint < p.JointSize; joint++)
                            if (random.NextDouble() >= zeroShare) counts.Add(p.Name, new YearMonth(2026, month), joint, random.Next(low, high));
                    if (group.Stock is { } stock)
                        foreach (var hidden in stock.Inflows.Concat(stock.Outflows).Where(n => group.Populations.All(p => p.Name != n)))
                            counts.Add(hidden, new YearMonth(2026, month), 0, random.Next(0, 3));
                }
                var times = new List<double>();
                for (var run = 0; run < 7; run++)
                {
                    var watch = Stopwatch.StartNew();
                    _ = new StatisticsGrid(group, counts, 2026, 2026);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Line($"| {group.Name} | {label} | {times[times.Count / 2]:F1} | {times[0]:F1} |");
            }
        }
        if (outFile is not null) File.WriteAllText(outFile, report.ToString());
        return 0;
    }
}
