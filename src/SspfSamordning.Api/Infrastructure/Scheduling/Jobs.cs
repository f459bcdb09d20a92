using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Scheduling;

/// <summary>
/// Hangfire runs the background work of the app; the work itself stays rows in our database (deadlines, e-mail deliveries,
/// records due for erasure), written in the transaction that causes them and claimed atomically, so a lost job loses
/// nothing. Job storage: on PostgreSQL Hangfire.PostgreSql in its own schema <see cref="PostgresSchema"/> of the same
/// database (shared by every instance: each recurring job runs once per occurrence, e-mail jobs are spread over the
/// instances); on SQL Server Hangfire.SqlServer in its schema <see cref="SqlServerSchema"/>, likewise; on the embedded SQLite default, where the app is a single instance, Hangfire.InMemory. Each recurring job
/// contributes its schedule through a <c>static void Schedule(IRecurringJobManager, IConfiguration)</c> passed to
/// <see cref="AddSspfJobs"/>. <c>Scheduler:Enabled=false</c> (the tests) leaves out the server and the schedules: the
/// storage, the client and the dashboard stay, and the tests perform the jobs themselves, on a moved clock.
/// </summary>
public static class Jobs
{
    /// <summary>The schema of Hangfire's tables on PostgreSQL, created by <c>--migrate</c> (never by the app at start).</summary>
    public const string PostgresSchema = "hangfire";

    /// <summary>The schema of Hangfire's tables on SQL Server (Hangfire's default name), created by <c>--migrate</c>.</summary>
    public const string SqlServerSchema = "HangFire";

    /// <summary>The queue of the e-mail delivery jobs; the recurring jobs use Hangfire's default queue.</summary>
    public const string EmailQueue = "email";

    public static IServiceCollection AddSspfJobs(
        this IServiceCollection services, IConfiguration configuration, params Action<IRecurringJobManager, IConfiguration>[] schedules)
    {
        // Our own storage and activator, registered before AddHangfire (which only adds what is missing), so that each app
        // instance — and each test host in one process — uses its own and not Hangfire's static JobStorage.Current.
        services.AddSingleton(_ => CreateStorage(configuration));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IJobFilterProvider, SspfJobFilters>();
        services.AddHangfire((sp, c) => c
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (!configuration.GetValue("Scheduler:Enabled", true)) return services;

        services.AddHangfireServer(o =>
        {
            o.Queues = [EmailQueue, "default"];
            o.WorkerCount = configuration.GetValue("Scheduler:WorkerCount", 4);
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        services.AddHostedService(sp => new RecurringJobRegistration(sp.GetRequiredService<IRecurringJobManager>(), configuration, schedules));
        return services;
    }

    private static JobStorage CreateStorage(IConfiguration configuration)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        if (provider == DatabaseProvider.SqlServer)
        {
            var connectionString = configuration.GetConnectionString("Sspf")!;
            return new SqlServerStorage(() => new Microsoft.Data.SqlClient.SqlConnection(connectionString), new SqlServerStorageOptions
            {
                SchemaName = SqlServerSchema,
                // As on PostgreSQL: the schema is --migrate's work, the app may run as a user without DDL rights
                // (db/roles-sqlserver.sql); and nothing is read from the database before the first job.
                PrepareSchemaIfNecessary = false,
                TryAutoDetectSchemaDependentOptions = false,
                // What Hangfire recommends for the schema its installer now creates (version 7 and later).
                QueuePollInterval = TimeSpan.Zero,
                DisableGlobalLocks = true,
            });
        }
        if (provider != DatabaseProvider.Postgres)
            return new InMemoryStorage(new InMemoryStorageOptions());
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = PostgresSchema,
            // The app may run as a role without DDL rights (db/roles-postgres.sql): the schema is --migrate's work.
            PrepareSchemaIfNecessary = false,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(configuration.GetConnectionString("Sspf")!, options), options);
    }

    /// <summary>
    /// Creates or upgrades Hangfire's schema on PostgreSQL, as the schema's owner: part of <c>--migrate</c> (and of what the
    /// tests do before the app starts as the application role). Idempotent.
    /// </summary>
    public static void InstallPostgresSchema(string ownerConnectionString)
    {
        using var connection = new NpgsqlConnection(ownerConnectionString);
        connection.Open();
        PostgreSqlObjectsInstaller.Install(connection, PostgresSchema);
    }

    /// <summary>Creates or upgrades Hangfire's schema on SQL Server, as the schema's owner (<c>--migrate</c>). Idempotent.</summary>
    public static void InstallSqlServerSchema(string ownerConnectionString)
    {
        using var connection = new Microsoft.Data.SqlClient.SqlConnection(ownerConnectionString);
        connection.Open();
        SqlServerObjectsInstaller.Install(connection, SqlServerSchema, enableHeavyMigrations: true);
    }

    /// <summary>Hangfire's schema for the provider of <paramref name="db"/>, when its jobs are stored there (not on SQLite).</summary>
    public static void InstallSchema(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade db, string ownerConnectionString)
    {
        switch (SqlDialect.Of(db).Provider)
        {
            case DatabaseProvider.Postgres: InstallPostgresSchema(ownerConnectionString); break;
            case DatabaseProvider.SqlServer: InstallSqlServerSchema(ownerConnectionString); break;
        }
    }

    /// <summary>
    /// A cron expression for "every <paramref name="interval"/>": whole minutes that divide an hour, or whole hours that
    /// divide a day (Hangfire's recurring jobs run on the calendar, not on a period counted from start).
    /// </summary>
    public static string Every(TimeSpan interval, string setting)
    {
        if (interval > TimeSpan.Zero && interval.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            var minutes = (int)interval.TotalMinutes;
            if (minutes < 60 && 60 % minutes == 0) return minutes == 1 ? "* * * * *" : $"*/{minutes} * * * *";
            if (minutes % 60 == 0 && 24 * 60 % minutes == 0)
                return minutes == 24 * 60 ? "0 0 * * *" : minutes == 60 ? "0 * * * *" : $"0 */{minutes / 60} * * *";
        }
        throw new InvalidOperationException(
            $"{setting} is {interval}: it must be a whole number of minutes that divides an hour, or of hours that divides a day.");
    }

    /// <summary>
    /// Hangfire's log goes to the host's logging. Hangfire keeps its log provider in a static; once the host that set it has
    /// stopped (several test hosts in one process), loggers asked for later log nowhere instead of failing.
    /// </summary>
    private sealed class HostLogProvider(ILoggerFactory loggers) : Hangfire.Logging.ILogProvider
    {
        private readonly AspNetCoreLogProvider inner = new(loggers);

        public Hangfire.Logging.ILog GetLogger(string name)
        {
            try { return inner.GetLogger(name); }
            catch (ObjectDisposedException) { return Silent.Instance; }
        }

        private sealed class Silent : Hangfire.Logging.ILog
        {
            public static readonly Silent Instance = new();
            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
        }
    }

    /// <summary>Registers (or updates) every recurring job when the app starts.</summary>
    private sealed class RecurringJobRegistration(
        IRecurringJobManager manager, IConfiguration configuration, Action<IRecurringJobManager, IConfiguration>[] schedules) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var schedule in schedules) schedule(manager, configuration);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
