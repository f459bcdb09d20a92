using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Platform;

namespace SspfSamordning.Api.Tests.SqlServer;

/// <summary>
/// Issue 21, bad input: a SQL Server nobody listens at (a loopback port just freed). The app, started as its own
/// process the way an operator starts it, stops with one line naming the server and the cause — no stack trace, a
/// non-zero exit code — for --migrate, for a Development start (which migrates) and for a Production start; and the
/// readiness check says Unhealthy instead of failing.
/// </summary>
public sealed class SqlServerUnreachableTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sspf-sqlserver-").FullName;
    private readonly string server = $"tcp:127.0.0.1,{FreePort()}";

    private string ConnectionString => $"Server={server};Database=sspf;User ID=sspf_app;Password=not-the-real-one;Encrypt=True;Connect Timeout=5";

    [Fact]
    public async Task Migrate_ExitsNonZeroWithOneLineNamingTheServerAndTheCause()
    {
        await AssertStopsWithOneLineAsync("Development", "--migrate");
    }

    [Fact]
    public async Task DevelopmentStart_ExitsNonZeroWithOneLineNamingTheServerAndTheCause()
    {
        await AssertStopsWithOneLineAsync("Development");
    }

    [Fact]
    public async Task ProductionStart_ExitsNonZeroWithOneLineNamingTheServerAndTheCause()
    {
        await AssertStopsWithOneLineAsync("Production");
    }

    [Fact]
    public async Task ReadinessCheck_IsUnhealthy()
    {
        await using var db = new SqlServerSspfDbContext(new DbContextOptionsBuilder<SqlServerSspfDbContext>().UseSqlServer(ConnectionString).Options);
        var check = new DatabaseHealthCheck(db, new DatabaseOutage(TimeProvider.System, NullLogger<DatabaseOutage>.Instance),
            new ConfigurationBuilder().Build());
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public void TheLine_NamesTheServerAndDatabase_NeverThePassword()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Sspf"] = ConnectionString,
        }).Build();
        var line = Database.DescribeFailure(configuration, new InvalidOperationException("wrapped", new TimeoutException("no answer")));
        Assert.NotNull(line);
        Assert.Contains(server, line);
        Assert.Contains("'sspf'", line);
        Assert.Contains("TimeoutException: no answer", line);
        Assert.DoesNotContain("not-the-real-one", line);
        // A bug is no database failure: it keeps its stack trace.
        Assert.Null(Database.DescribeFailure(configuration, new InvalidOperationException("a bug")));
    }

    private async Task AssertStopsWithOneLineAsync(string environment, params string[] args)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Database__Provider"] = "SqlServer",
            ["ConnectionStrings__Sspf"] = ConnectionString,
            ["Database__DataDirectory"] = folder,
            ["Scheduler__Enabled"] = "false",
        };
        if (environment == "Production")
            foreach (var (key, value) in ProductionFactory.ProductionKeySettings(folder)) settings[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var run = await AppProcess.RunAsync(settings, args, timeoutSeconds: 120);
        AppProcess.AssertStoppedWithOneLine(run, server, "SqlException");
        Assert.DoesNotContain("not-the-real-one", run.Stdout + run.Stderr);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
