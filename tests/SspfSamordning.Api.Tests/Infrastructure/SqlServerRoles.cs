using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>
/// What an operator does before the app starts on SQL Server (SSPF_TEST_DATABASE=SqlServer, SSPF_TEST_SQLSERVER = a
/// connection string of a login that may create databases and logins): create the database, migrate as the owner (the
/// app's tables and Hangfire's schema, as --migrate does), then apply db/roles-sqlserver.sql. The app connects as the
/// login sspf_app, whose password this test process sets.
/// </summary>
public static partial class SqlServerRoles
{
    public const string AppLogin = "sspf_app";
    public static readonly string Script = File.ReadAllText(Path.Combine(SqlServer.TSql.RepositoryRoot(), "db", "roles-sqlserver.sql"));
    private static readonly string AppPassword = "Sspf-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + "-a1";
    private static readonly Lock LoginGate = new();
    private static bool loginReady;

    public static string Server => Environment.GetEnvironmentVariable("SSPF_TEST_SQLSERVER")
        ?? throw new InvalidOperationException("SSPF_TEST_SQLSERVER is not set (a SQL Server connection string that may create databases and logins).");

    /// <summary>The owner's connection to a new database, and the app's.</summary>
    public static (string Owner, string App) NewDatabase(string database)
    {
        EnsureAppLogin();
        Execute(Server, $"CREATE DATABASE [{database}]");
        var owner = new SqlConnectionStringBuilder(Server) { InitialCatalog = database }.ConnectionString;
        var app = new SqlConnectionStringBuilder(owner) { UserID = AppLogin, Password = AppPassword, IntegratedSecurity = false }.ConnectionString;
        return (owner, app);
    }

    public static void MigrateAndGrant(string ownerConnectionString)
    {
        using (var db = new SqlServerSspfDbContext(new DbContextOptionsBuilder<SqlServerSspfDbContext>().UseSqlServer(ownerConnectionString).Options))
            db.Database.Migrate();
        SspfSamordning.Api.Infrastructure.Scheduling.Jobs.InstallSqlServerSchema(ownerConnectionString);
        foreach (var batch in Batches(Script)) Execute(ownerConnectionString, batch);
    }

    public static void DropDatabase(string database)
    {
        SqlConnection.ClearAllPools();
        Execute(Server, $"IF DB_ID(N'{database}') IS NOT NULL BEGIN ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}]; END");
    }

    /// <summary>The batches of a script with GO separators, as sqlcmd sends them.</summary>
    public static IEnumerable<string> Batches(string script) =>
        GoLine().Split(script).Where(b => !string.IsNullOrWhiteSpace(b));

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();

    private static void EnsureAppLogin()
    {
        lock (LoginGate)
        {
            if (loginReady) return;
            Execute(Server, $"""
                IF SUSER_ID(N'{AppLogin}') IS NULL CREATE LOGIN [{AppLogin}] WITH PASSWORD = N'{AppPassword}', CHECK_POLICY = OFF;
                ELSE ALTER LOGIN [{AppLogin}] WITH PASSWORD = N'{AppPassword}';
                """);
            loginReady = true;
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new SqlConnection(connectionString);
        connection.Open();
        using var command = new SqlCommand(sql, connection) { CommandTimeout = 120 };
        command.ExecuteNonQuery();
    }
}
