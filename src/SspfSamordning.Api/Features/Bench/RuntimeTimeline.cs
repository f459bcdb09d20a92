using System.Globalization;

namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (<c>-p:SspfBench=true</c>): with <c>SSPF_BENCH_TIMELINE</c> set to a file, a line every
/// <see cref="Interval"/> of what the process and the machine did — for bench/load/lulls.py, which finds a scenario's
/// stall (issue 22: a second with no answers, in one scenario of some runs, cause unknown) and says what coincided with it.
/// The sampler is a thread of its own, not the thread pool's, so that a starved pool does not stop it; a gap between its
/// lines is a stall of the whole process or machine. Columns (space-separated, cumulative counters unless noted):
/// unix ms; the process's CPU ticks (user + system); thread-pool threads (now), queued work items (now), completed work
/// items; GC pause ms; gen0, gen1, gen2 collections; lock contentions; the machine's steal ticks; the machine's
/// CPU, I/O and memory pressure stall µs ("some", /proc/pressure).
/// </summary>
public static class RuntimeTimeline
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static void Start(IHostApplicationLifetime lifetime)
    {
        if (Environment.GetEnvironmentVariable("SSPF_BENCH_TIMELINE") is not { Length: > 0 } path) return;
        var stopping = lifetime.ApplicationStopping;
        new Thread(() => Run(path, stopping)) { IsBackground = true, Name = "bench timeline" }.Start();
    }

    private static void Run(string path, CancellationToken stopping)
    {
        using var file = new StreamWriter(path, append: true);
        while (!stopping.IsCancellationRequested)
        {
            file.WriteLine(string.Join(' ', Sample().Select(v => v.ToString(CultureInfo.InvariantCulture))));
            file.Flush();
            Thread.Sleep(Interval);
        }
    }

    private static IEnumerable<long> Sample()
    {
        yield return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // /proc/self/stat: fields 14 and 15 (utime, stime) after the command name, which is in parentheses.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        yield return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        yield return ThreadPool.ThreadCount;
        yield return ThreadPool.PendingWorkItemCount;
        yield return ThreadPool.CompletedWorkItemCount;
        yield return (long)GC.GetTotalPauseDuration().TotalMilliseconds;
        yield return GC.CollectionCount(0);
        yield return GC.CollectionCount(1);
        yield return GC.CollectionCount(2);
        yield return Monitor.LockContentionCount;
        // /proc/stat's first line: cpu user nice system idle iowait irq softirq steal ...
        using (var machine = new StreamReader("/proc/stat"))
            yield return long.Parse(machine.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)[8], CultureInfo.InvariantCulture);
        foreach (var resource in new[] { "cpu", "io", "memory" }) yield return StallMicroseconds(resource);
    }

    /// <summary>The "some" line's total of /proc/pressure/<paramref name="resource"/>; -1 where the kernel has no PSI.</summary>
    private static long StallMicroseconds(string resource)
    {
        try
        {
            using var pressure = new StreamReader($"/proc/pressure/{resource}");
            var total = pressure.ReadLine()!.Split(' ').Single(f => f.StartsWith("total=", StringComparison.Ordinal));
            return long.Parse(total["total=".Length..], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
