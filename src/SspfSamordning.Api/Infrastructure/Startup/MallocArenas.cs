using System.Runtime.InteropServices;

namespace SspfSamordning.Api.Infrastructure.Startup;

/// <summary>
/// Caps glibc's malloc arenas for the process at two. glibc gives each thread that contends for malloc an arena of its own,
/// up to eight per core, and keeps what an arena once held: the runtime's native allocations (the JIT compiling at start,
/// the type loader, OpenSSL) spread over a dozen arenas that stay resident. Measured under load (bench/results/load.md,
/// round ten, rss; the same scenarios in turn): the arenas held 8 MB instead of 15-24 MB and the peak working set was
/// 264 against 282-285 MB, at the same CPU per request. What every host would otherwise have to set as
/// <c>MALLOC_ARENA_MAX</c> in its environment is set here, before the web host starts its threads; an explicit
/// <c>MALLOC_ARENA_MAX</c> still wins.
/// </summary>
public static class MallocArenas
{
    private const int MaxArenas = 2;
    private const int M_ARENA_MAX = -8; // glibc's malloc.h

    /// <summary>True when glibc took the cap; false elsewhere (not Linux, not glibc) or when the environment sets its own.</summary>
    public static bool Limit()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return false;
        try
        {
            return mallopt(M_ARENA_MAX, MaxArenas) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no per-thread arenas): nothing to cap
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int param, int value);
}
