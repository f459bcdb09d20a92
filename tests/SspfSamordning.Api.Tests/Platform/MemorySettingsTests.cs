using System.Text.Json;
using SspfSamordning.Api.Infrastructure.Startup;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// The working set's settings ship with the app (bench/results/load.md, issue 22): the GC's in its runtimeconfig, under the
/// names the runtime reads from there, and the cap on glibc's malloc arenas in its start-up code.
/// </summary>
public sealed class MemorySettingsTests
{
    [Fact]
    public void RuntimeConfig_CarriesTheGcSettings()
    {
        var path = Path.ChangeExtension(typeof(Program).Assembly.Location, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(128L << 20, properties.GetProperty("System.GC.HeapHardLimit").GetInt64());
        // System.GC.Gen0MaxBudget, not System.GC.Gen0Size: .NET 10 reads gen0's size (GCgen0size) from the environment only.
        Assert.Equal(4L << 20, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.False(properties.TryGetProperty("System.GC.Gen0Size", out _));
    }

    [Fact]
    public void MallocArenas_CapTakenByGlibc()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
            Assert.Skip("glibc's arenas exist on Linux; an explicit MALLOC_ARENA_MAX is left as the environment set it.");
        Assert.True(MallocArenas.Limit(), "mallopt(M_ARENA_MAX) was not found or not accepted: the app runs with glibc's default of eight arenas per core.");
    }
}
