using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Infrastructure.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Chooses the provider from configuration: <c>Database:Provider</c> and <c>ConnectionStrings:Sspf</c>.</summary>
public static class Database
{
    public static IServiceCollection AddSspfDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Sspf");
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    var dataDirectory = Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", environment.ContentRootPath);
                    Directory.CreateDirectory(dataDirectory);
                    connectionString = $"Data Source={Path.Combine(dataDirectory, "sspf.db")}";
                }
                services.AddDbContext<SspfDbContext, SqliteSspfDbContext>(o => o.UseSqlite(connectionString).UseFieldEncryption().LogFailuresOnce());
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Sspf is empty.");
                services.AddDbContext<SspfDbContext, PostgresSspfDbContext>(o => o.UseNpgsql(connectionString).UseFieldEncryption().LogFailuresOnce());
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use Sqlite or Postgres.");
        }
        return services;
    }

    /// <summary>
    /// EF logs every failed command, query and save as an error with its stack trace; the exception then reaches the
    /// app's ExceptionHandler, which logs it once (a 500) or once per outage (a transient failure answered 503). EF's own
    /// copies go to Debug, so that a 10-second outage does not write thousands of stack traces.
    /// </summary>
    private static DbContextOptionsBuilder LogFailuresOnce(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Debug),
            (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.ConnectionError, LogLevel.Debug),
            (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.TransactionError, LogLevel.Debug),
            (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.QueryIterationFailed, LogLevel.Debug)));
}

/// <summary>Used by <c>dotnet ef</c> (see db/README.md) to build the SQLite migration set.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSspfDbContext>
{
    public SqliteSspfDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSspfDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Used by <c>dotnet ef</c> (see db/README.md) to build the PostgreSQL migration set; never connects.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSspfDbContext>
{
    public PostgresSspfDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSspfDbContext>().UseNpgsql("Host=localhost;Database=sspf_design").Options);
}
