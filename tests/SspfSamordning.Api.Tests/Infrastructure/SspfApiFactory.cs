using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>
/// The real app, in Development (so it migrates and seeds the demo data), on a database of its own: a SQLite
/// file, a fresh PostgreSQL database on the cluster test.sh started (SSPF_TEST_DATABASE=Postgres), or a fresh
/// SQL Server database on the server SSPF_TEST_SQLSERVER names (SSPF_TEST_DATABASE=SqlServer).
/// Second factor required, as in production, unless a test says otherwise.
/// </summary>
public class SspfApiFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    public TestClock Clock { get; } = new(Start);
    public CapturedLogs Logs { get; } = new();
    public string Provider { get; } = Environment.GetEnvironmentVariable("SSPF_TEST_DATABASE") ?? "Sqlite";
    /// <summary>The provider's forms of the SQL tests write by hand.</summary>
    public ProviderSql Sql => ProviderSql.For(Provider);
    /// <summary>The owner's connection (superuser on the test cluster): migrations, raw reads and tampering.</summary>
    public string ConnectionString { get; }
    /// <summary>What the app connects with: on PostgreSQL the application role of db/roles-postgres.sql, which may not change the access log.</summary>
    public string AppConnectionString { get; }
    /// <summary>This instance's data folder: its SQLite file and, in Development, its generated master key and blind-index key.</summary>
    public string DataDirectory { get; } = null!;
    private readonly string? postgresDatabase;
    private readonly string? sqlServerDatabase;

    /// <summary>Configuration the test class sets on top of the defaults (before the first client is created).</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Auth:RelaxTwoFactor"] = "false",
        ["Auth:MaxFailedAccessAttempts"] = "3",
        ["RateLimiting:AuthPermitLimit"] = "100000",
        ["RateLimiting:AccountPermitLimit"] = "100000",
        ["RateLimiting:UnknownAccountEventsPerMinute"] = "100000",
        // Production uses 100,000 PBKDF2 iterations per blind-index computation; tests compute hundreds of them.
        ["Encryption:BlindIndexIterations"] = "10000",
        // Tests run the scheduled work themselves, at the moment of a moved clock.
        ["Scheduler:Enabled"] = "false",
        // Tests build the cases they need; the demo cases (DemoCases) only where a test asks for them.
        ["Demo:Cases"] = "false",
    };

    public string HostEnvironment { get; set; } = "Development";

    /// <summary>
    /// Passwords people chose at their first sign-in, by e-mail and the administrator's initial password: the app makes
    /// them replace it (<see cref="SspfClient.SignInWithPasswordAsync"/>), tests keep naming the initial one.
    /// </summary>
    public Dictionary<(string Email, string Initial), string> OwnPasswords { get; } = new();

    /// <summary>Authenticator keys of the users enrolled so far, by e-mail.</summary>
    public Dictionary<string, string> AuthenticatorKeys { get; } = new();

    private readonly bool ownsDatabase = true;

    /// <summary>A second app instance on the same database and data folder (same master key), as a scaled-out deployment runs.</summary>
    public static SspfApiFactory SharingDatabaseWith(SspfApiFactory first) => new(first);

    private SspfApiFactory(SspfApiFactory sameDatabaseAs)
    {
        Provider = sameDatabaseAs.Provider;
        ConnectionString = sameDatabaseAs.ConnectionString;
        AppConnectionString = sameDatabaseAs.AppConnectionString;
        DataDirectory = sameDatabaseAs.DataDirectory;
        Clock = sameDatabaseAs.Clock;
        AuthenticatorKeys = sameDatabaseAs.AuthenticatorKeys;
        OwnPasswords = sameDatabaseAs.OwnPasswords;
        ownsDatabase = false;
    }

    public SspfApiFactory()
    {
        DataDirectory = Directory.CreateTempSubdirectory("sspf-test-").FullName;
        if (Provider == "Postgres")
        {
            var server = Environment.GetEnvironmentVariable("SSPF_TEST_POSTGRES")
                ?? throw new InvalidOperationException("SSPF_TEST_POSTGRES is not set: run the tests through ./test.sh.");
            postgresDatabase = "sspf_test_" + Guid.NewGuid().ToString("N");
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = postgresDatabase }.ConnectionString;
            var appRole = Environment.GetEnvironmentVariable("SSPF_TEST_POSTGRES_APP_ROLE")
                ?? throw new InvalidOperationException("SSPF_TEST_POSTGRES_APP_ROLE is not set: run the tests through ./test.sh.");
            AppConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = appRole }.ConnectionString;
        }
        else if (Provider == "SqlServer")
        {
            sqlServerDatabase = "sspf_test_" + Guid.NewGuid().ToString("N");
            (ConnectionString, AppConnectionString) = SqlServerRoles.NewDatabase(sqlServerDatabase);
        }
        else
        {
            ConnectionString = AppConnectionString = $"Data Source={Path.Combine(DataDirectory, "sspf.db")};Pooling=False";
        }
        foreach (var (name, content) in developmentCertificates ?? []) File.WriteAllBytes(Path.Combine(DataDirectory, name), content);
    }

    /// <summary>
    /// The certificates Development generated into the first data folder of this test run (the master key's and the OpenID
    /// Connect server's signing and encryption keys, RSA 3072), copied into every later factory's folder before its start.
    /// Generating three RSA keys per factory was about a fifth of the API suite's CPU. The generation itself still runs
    /// in the first factory and in the tests that start on folders of their own (MasterKeyTests).
    /// </summary>
    private static volatile (string Name, byte[] Content)[]? developmentCertificates;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        if (developmentCertificates is null && HostEnvironment == "Development")
            developmentCertificates = Directory.GetFiles(DataDirectory, "*.pfx").Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToArray();
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(HostEnvironment);
        builder.UseSetting("Database:Provider", Provider);
        if (Provider is "Postgres" or "SqlServer")
        {
            // As in production: the owner migrates and grants (db/roles-*.sql); the app runs as the application role.
            if (Provider == "Postgres")
                PostgresRoles.EnsureMigrated(Environment.GetEnvironmentVariable("SSPF_TEST_POSTGRES")!, new NpgsqlConnectionStringBuilder(ConnectionString).Database!);
            else SqlServerRoles.MigrateAndGrant(ConnectionString);
            builder.UseSetting("Database:MigrateOnStart", "false");
        }
        builder.UseSetting("ConnectionStrings:Sspf", AppConnectionString);
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddSingleton<ILoggerProvider>(Logs);
            // Identity's default of 100,000 PBKDF2 iterations per password hash is kept in the app; the suite signs in and
            // creates accounts thousands of times, where it was the largest single CPU cost of the run on 2 cores. The
            // hash format records its iteration count, so every check still runs the real hasher end to end.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
        });
    }

    public SspfClient CreateSspfClient() => new(CreateClient(), this);

    /// <summary>
    /// The access log's events of <paramref name="action"/>, by time, then stripe and sequence (one stripe's, or one account's,
    /// in the order written), read straight from the database. To find what a call added, compare ids (<see cref="AddedSince"/>):
    /// with the clock standing still, a new event of a lower stripe sorts before older ones of a higher stripe.
    /// </summary>
    public async Task<List<AccessEvent>> AccessEventsAsync(AuditAction action)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        return await db.AccessEvents.Where(e => e.Action == action).OrderBy(e => e.At).ThenBy(e => e.Stripe).ThenBy(e => e.Sequence).ToListAsync();
    }

    /// <summary>The events of <paramref name="after"/> that <paramref name="before"/> did not have.</summary>
    public static List<AccessEvent> AddedSince(List<AccessEvent> after, List<AccessEvent> before) =>
        after.ExceptBy(before.Select(e => e.Id), e => e.Id).ToList();

    /// <summary>
    /// Runs <paramref name="act"/> and returns the one OAuth refusal it wrote to the access log (asserting there is exactly
    /// one). The tests of one class run one after another on their own database, so nothing else writes one meanwhile.
    /// </summary>
    public async Task<AccessEvent> OAuthRefusalAsync(Func<Task> act)
    {
        var before = await AccessEventsAsync(AuditAction.OAuthRefused);
        await act();
        var refusal = Assert.Single(AddedSince(await AccessEventsAsync(AuditAction.OAuthRefused), before));
        Assert.Equal(AuditDecision.Refused, refusal.Decision);
        return refusal;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!ownsDatabase)
        {
            GC.SuppressFinalize(this);
            return;
        }
        Directory.Delete(DataDirectory, recursive: true);
        if (sqlServerDatabase is not null) SqlServerRoles.DropDatabase(sqlServerDatabase);
        if (postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("SSPF_TEST_POSTGRES"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        GC.SuppressFinalize(this);
    }
}
