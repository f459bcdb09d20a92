using System.Runtime.InteropServices;

namespace SspfSamordning.Api.Infrastructure.Startup;

/// <summary>
/// Hands the native heap's free pages back to the system every <see cref="Interval"/> (glibc's <c>malloc_trim</c>). glibc
/// returns freed memory on its own only from the top of a heap; what the runtime frees in the middle — the JIT's scratch
/// memory while it compiles the app's methods in the first minutes of load, the type loader's — stays resident in the main
/// heap and in up to eight arenas per core. Measured under load (bench/results/load.md, round ten, rss): after the
/// scenarios glibc held 46 MB, of which one <c>malloc_trim(0)</c> returned 32 MB. No request allocates on this path and
/// nothing is kept: a trim costs a walk over the heaps' free lists, milliseconds every half minute.
/// </summary>
public sealed class NativeHeapTrim : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!OperatingSystem.IsLinux()) return;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            if (Trim() is null) return;
    }

    /// <summary>Whether glibc released memory; null where there is no glibc (another C library: nothing to trim).</summary>
    public static bool? Trim()
    {
        try
        {
            return malloc_trim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
