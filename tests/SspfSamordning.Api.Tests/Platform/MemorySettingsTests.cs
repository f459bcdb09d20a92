using System.Text.Json;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>
/// The working set's settings ship with the app (bench/results/load.md, issue 22): the GC's in its runtimeconfig, under the
/// names the runtime reads from there.
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
}
