using Microsoft.AspNetCore.Hosting;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

/// <summary>The app says at start which configuration files it read and which data folder it uses.</summary>
public sealed class StartupReportTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public void Start_LogsTheConfigurationFilesRead_AndTheDataFolder()
    {
        factory.CreateClient().Dispose();
        var line = Assert.Single(factory.Logs.Lines, l => l.Contains("Configuration files read:", StringComparison.Ordinal));
        var read = line[line.IndexOf("read:", StringComparison.Ordinal)..line.IndexOf("not found:", StringComparison.Ordinal)];
        Assert.Contains(Path.Combine("SspfSamordning.Api", "appsettings.json"), read, StringComparison.Ordinal);
        Assert.Contains("appsettings.Development.json", read, StringComparison.Ordinal);
        Assert.Contains($"Data folder: {factory.DataDirectory}.", line, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("No appsettings.json", StringComparison.Ordinal));
    }
}

/// <summary>Started with a content root that holds no appsettings.json, the app warns instead of running on defaults in silence.</summary>
public sealed class StartupReportElsewhereTests : IAsyncLifetime
{
    private readonly SspfApiFactory factory = new();
    private readonly string elsewhere = Directory.CreateTempSubdirectory("sspf-elsewhere-").FullName;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public void Start_WithoutAppSettings_WarnsAndSaysWhere()
    {
        using var _ = factory.WithWebHostBuilder(b => b.UseContentRoot(elsewhere)).CreateClient();
        var warning = Assert.Single(factory.Logs.Lines, l => l.Contains("No appsettings.json", StringComparison.Ordinal));
        Assert.Contains(elsewhere, warning, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        Directory.Delete(elsewhere, recursive: true);
    }
}
