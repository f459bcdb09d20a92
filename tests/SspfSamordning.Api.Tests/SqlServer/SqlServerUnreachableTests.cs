using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

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
        var (exitCode, stdout, stderr) = await RunAppAsync(environment, args);
        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(server, line);
        Assert.Contains("SqlException", line);
        Assert.DoesNotContain("not-the-real-one", stdout + stderr);
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAppAsync(string environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Program).Assembly.Location },
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Database__Provider"] = "SqlServer",
                ["ConnectionStrings__Sspf"] = ConnectionString,
                ["Database__DataDirectory"] = folder,
                ["Scheduler__Enabled"] = "false",
            },
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (environment == "Production")
        {
            using var rsa = RSA.Create(2048);
            using var certificate = new CertificateRequest("CN=sspf test master key", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddYears(1));
            var path = Path.Combine(folder, "master.pfx");
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "hemligt"));
            start.Environment[Env(MasterKey.CertificatePathSetting)] = path;
            start.Environment[Env(MasterKey.CertificatePasswordSetting)] = "hemligt";
            start.Environment[Env(BlindIndex.KeySetting)] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The app kept running with an unreachable SQL Server. Output: {await stdout} {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Env(string setting) => setting.Replace(":", "__", StringComparison.Ordinal);

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
