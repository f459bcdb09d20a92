using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Encryption;

namespace SspfSamordning.Api.Infrastructure.Persistence;

public enum DatabaseProvider { Sqlite, Postgres, SqlServer }

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
                services.AddSspfDbContext<SqliteSspfDbContext>(o => o.UseSqlite(connectionString));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Sspf is empty.");
                var appConnectionString = WithoutSessionReset(connectionString);
                services.AddSspfDbContext<PostgresSspfDbContext>(o => o.UseNpgsql(appConnectionString));
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:Sspf is empty.");
                services.AddSspfDbContext<SqlServerSspfDbContext>(o => o.UseSqlServer(connectionString));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use Sqlite, Postgres or SqlServer.");
        }
        return services;
    }

    /// <summary>
    /// Each scope (a request, a job's batch) gets its <see cref="SspfDbContext"/> from a pool, built from options built
    /// once per process: building one per request — the options (EF ran the options' lambda for every context), EF's
    /// internal service scope, the change tracker's and the query's services — was 7-8 % of a transition and of a read
    /// (issue 22, round nine's profile). The scope's context serves that scope only (<see cref="SspfDbContext.Serve"/>:
    /// the scope's audit context) and goes back when the scope ends: its disposal forgets the audit context and frees
    /// its key ring (unwrapped keys zeroed), then EF clears its tracked entities, transaction and connection before
    /// another scope can rent it (PooledContextTests). The options' application service provider is the root: nothing
    /// scoped may be found through it. At most <see cref="PoolSize"/> contexts wait in the pool; more are built and dropped.
    /// </summary>
    private static void AddSspfDbContext<TContext>(this IServiceCollection services, Func<DbContextOptionsBuilder, DbContextOptionsBuilder> provider)
        where TContext : SspfDbContext
    {
        services.AddPooledDbContextFactory<TContext>(o => provider(o).UseFieldEncryption().CompileNestedShapersOnce().LogFailuresOnce(), PoolSize);
        services.AddScoped<SspfDbContext>(scope => scope.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext()
            .Serve(scope.GetService<IAuditContext>()));
    }

    /// <summary>About twice the contexts in use at once under the benchmark's 50 clients: each kept context keeps its grown tables.</summary>
    private const int PoolSize = 128;

    /// <summary>
    /// The app's own PostgreSQL connections skip Npgsql's session reset (<c>No Reset On Close</c>). By default every reuse
    /// of a pooled connection — several per request, since EF opens and closes it around each statement — first runs
    /// <c>SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD
    /// SEQUENCES; DISCARD TEMP</c>, seven statements the server parses and runs before the request's own (issue 22).
    /// Safe because the app leaves no session-level state on these connections (SECURITY.md, "Database connections"):
    /// settings only with <c>SET LOCAL</c> / <c>SET TRANSACTION</c> and locks only with <c>pg_advisory_xact_lock</c>,
    /// which end with their transaction; no cursors, LISTEN, temporary tables, sequences' session state or role switches.
    /// A transaction left open is still rolled back when the connection returns to the pool (Npgsql does that whatever
    /// this setting). Hangfire keeps the connection string as given (its own pool, with the reset): its SQL is not ours.
    /// <c>ConnectionResetTests</c> checks that pooled connections carry no session state after the app's requests.
    /// </summary>
    internal static string WithoutSessionReset(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;

    /// <summary>
    /// One line for an operator when the database server cannot be used at start or by <c>--migrate</c>: which server
    /// (never the password) and the cause (the exception's type and message, no stack trace). Null when
    /// <paramref name="exception"/> is no database or network failure (then it is a bug and keeps its stack trace).
    /// </summary>
    public static string? DescribeFailure(IConfiguration configuration, Exception exception)
    {
        var cause = exception;
        while (cause is not (System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException) && cause.InnerException is { } inner)
            cause = inner;
        if (cause is not (System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException)) return null;
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        return $"Cannot use the database: {ServerOf(provider, configuration.GetConnectionString("Sspf"))} "
            + $"({cause.GetType().Name}: {cause.Message.ReplaceLineEndings(" ").Trim()}).";
    }

    /// <summary>The server and database a connection string names, for logs and error lines (never the password).</summary>
    public static string ServerOf(DatabaseProvider provider, string? connectionString)
    {
        try
        {
            switch (provider)
            {
                case DatabaseProvider.SqlServer:
                    var sqlServer = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString);
                    return $"SQL Server '{sqlServer.DataSource}', database '{sqlServer.InitialCatalog}'";
                case DatabaseProvider.Postgres:
                    var postgres = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                    return $"PostgreSQL '{postgres.Host}:{postgres.Port}', database '{postgres.Database}'";
                default:
                    return $"SQLite '{new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource}'";
            }
        }
        catch (ArgumentException)
        {
            return $"{provider} (the connection string ConnectionStrings:Sspf cannot be read)";
        }
    }

    /// <summary>
    /// Before a server database is used outside Development: opens one connection, so that an unreachable or refusing
    /// server stops the start with <see cref="DescribeFailure"/>'s line instead of a stack trace per request.
    /// Null when it answers (and always on SQLite, whose file the data folder check covers).
    /// </summary>
    public static async Task<string?> UnreachableAsync(IServiceProvider services, IConfiguration configuration)
    {
        if (configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite) == DatabaseProvider.Sqlite) return null;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        try
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.CloseConnectionAsync();
            return null;
        }
        catch (Exception e) when (DescribeFailure(configuration, e) is { } line)
        {
            return line;
        }
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

/// <summary>Used by <c>dotnet ef</c> (see db/README.md) to build the SQL Server migration set; never connects.</summary>
internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerSspfDbContext>
{
    public SqlServerSspfDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerSspfDbContext>().UseSqlServer("Server=localhost;Database=sspf_design;Encrypt=True").Options);
}
