using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Platform;

public sealed class PlatformTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Health_LiveAndReady_AnswerWithoutSignIn()
    {
        var client = factory.CreateClient();
        await (await client.GetAsync("/health/live")).EnsureStatusAsync(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        await ready.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAndListsTheAuthEndpoints()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var paths = (await response.JsonAsync()).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/auth/password", out _));
        // Tokens come only from the OpenID Connect server: the retired first-party endpoints are gone.
        Assert.False(paths.TryGetProperty("/api/auth/login", out _));
        Assert.False(paths.TryGetProperty("/api/auth/refresh", out _));
        Assert.True(paths.TryGetProperty("/api/me", out _));
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblemDetails()
    {
        var client = factory.CreateSspfClient();
        await client.SignInWithPasswordAsync(SspfClient.Demo("polis"));
        var response = await client.Http.GetAsync("/api/nothing-here");
        await response.EnsureStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Model_HasNoChangesMissingFromTheMigrations_OnEitherProvider()
    {
        using var sqlite = new SqliteSspfDbContext(new DbContextOptionsBuilder<SqliteSspfDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresSspfDbContext(new DbContextOptionsBuilder<PostgresSspfDbContext>().UseNpgsql("Host=localhost").Options);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite: run db/ef.sh Sqlite migrations add <Name>");
        Assert.False(postgres.Database.HasPendingModelChanges(), "PostgreSQL: run db/ef.sh Postgres migrations add <Name>");
    }

    [Fact]
    public async Task Database_HasEveryMigrationApplied()
    {
        factory.CreateClient().Dispose();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(factory.Provider switch
        {
            "Postgres" => "Npgsql.EntityFrameworkCore.PostgreSQL",
            "SqlServer" => "Microsoft.EntityFrameworkCore.SqlServer",
            _ => "Microsoft.EntityFrameworkCore.Sqlite",
        }, db.Database.ProviderName);
    }
}

public sealed class StartupGuardTests
{
    [Fact]
    public void RelaxedTwoFactor_OutsideDevelopment_RefusesToStart()
    {
        using var factory = new SspfApiFactory { HostEnvironment = "Production" };
        factory.Settings["Auth:RelaxTwoFactor"] = "true";
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("RelaxTwoFactor", error.ToString(), StringComparison.Ordinal);
    }
}

public sealed class OperatorScriptTests
{
    [Fact]
    public void PostgresScript_ContainsEveryMigration()
    {
        using var postgres = new PostgresSspfDbContext(new DbContextOptionsBuilder<PostgresSspfDbContext>().UseNpgsql("Host=localhost").Options);
        var script = File.ReadAllText(Path.Combine(RepositoryRoot(), "db", "migrations-postgres.sql"));
        var missing = postgres.Database.GetMigrations().Where(id => !script.Contains($"'{id}'", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Run db/ef.sh scripts; missing: " + string.Join(", ", missing));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SspfSamordning.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
