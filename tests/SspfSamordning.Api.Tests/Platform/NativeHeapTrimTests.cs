using System.Runtime.InteropServices;
using SspfSamordning.Api.Infrastructure.Startup;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>The working set's native part (bench/results/load.md, round ten, rss): freed native memory goes back to the system.</summary>
/// <remarks>Alone, not beside other tests: it measures the process's resident memory, which their allocations would move.</remarks>
[Collection(nameof(NativeHeapTrimTests))]
public sealed class NativeHeapTrimTests
{
    [Fact]
    public void Trim_ReleasesFreedPagesInTheMiddleOfTheHeap()
    {
        if (!OperatingSystem.IsLinux()) Assert.Skip("malloc_trim is glibc's; elsewhere the service does nothing.");

        // 32 MB in 64 KB blocks (below glibc's mmap threshold: heap memory), written to, then all freed but the last, which
        // pins the heap's top: glibc keeps them resident by itself; the trim must hand them back.
        const int size = 64 * 1024;
        var zeros = new byte[size];
        var blocks = Enumerable.Range(0, 512).Select(_ => Marshal.AllocHGlobal(size)).ToArray();
        foreach (var block in blocks) Marshal.Copy(zeros, 0, block, size);
        foreach (var block in blocks[..^1]) Marshal.FreeHGlobal(block);
        try
        {
            var before = ResidentKb();
            Assert.True(NativeHeapTrim.Trim(), "malloc_trim released nothing (or was not found).");
            Assert.True(before - ResidentKb() > 16 * 1024, $"resident {before} kB before the trim, {ResidentKb()} kB after: the freed 32 MB stayed.");
        }
        finally
        {
            Marshal.FreeHGlobal(blocks[^1]);
        }
    }

    private static long ResidentKb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}

[CollectionDefinition(nameof(NativeHeapTrimTests), DisableParallelization = true)]
public sealed class NativeHeapTrimTestsRunAlone;
