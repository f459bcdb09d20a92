using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Startup;

/// <summary>What start-up refuses or states about the database, so that no environment runs on a store nobody chose.</summary>
public static class ProductionChecks
{
    /// <summary>
    /// Outside Development a connection string is required: an empty one would silently create an SQLite file in the
    /// data folder. Choosing SQLite stays possible, but as a decision (its own connection string).
    /// </summary>
    public static void RequireExplicitDatabase(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Sspf"))) return;
        throw new InvalidOperationException(
            $"No database is configured for environment '{environment.EnvironmentName}': ConnectionStrings:Sspf is empty. "
            + "Set Database:Provider=Postgres or SqlServer and ConnectionStrings:Sspf (the access log's database-level protection, an application "
            + "role that may not change or delete it, needs PostgreSQL or SQL Server), or, for the embedded store, Database:Provider=Sqlite and "
            + "ConnectionStrings:Sspf=\"Data Source=/path/to/sspf.db\".");
    }

    /// <summary>Says at start which database the app uses (never the password) and, on SQLite outside Development, what that costs.</summary>
    public static void LogDatabase(IServiceProvider services, IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        using var scope = services.CreateScope();
        var builder = new DbConnectionStringBuilder { ConnectionString = scope.ServiceProvider.GetRequiredService<SspfDbContext>().Database.GetConnectionString() };
        string Part(string key) => builder.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "" : "";
        if (provider == DatabaseProvider.Postgres)
        {
            logger.LogInformation("Database: PostgreSQL, host {Host}, database {Database}, user {User}.", Part("Host"), Part("Database"), Part("Username"));
            return;
        }
        if (provider == DatabaseProvider.SqlServer)
        {
            var sqlServer = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(builder.ConnectionString);
            logger.LogInformation("Database: SQL Server {Server}, database {Database}, user {User}, encryption {Encrypt}.",
                sqlServer.DataSource, sqlServer.InitialCatalog, sqlServer.IntegratedSecurity ? "(integrated)" : sqlServer.UserID, sqlServer.Encrypt);
            if (sqlServer.Encrypt == Microsoft.Data.SqlClient.SqlConnectionEncryptOption.Optional)
                logger.LogWarning("The SQL Server connection is not encrypted (Encrypt={Encrypt}): set Encrypt=True (or Strict) in ConnectionStrings:Sspf.", sqlServer.Encrypt);
            return;
        }
        var file = Part("Data Source");
        logger.LogInformation("Database: SQLite, file {File}.", file);
        if (!environment.IsDevelopment())
            logger.LogWarning(
                "The database is SQLite ({File}): the access log's database-level protection (an application role that may only insert and read it) "
                + "needs PostgreSQL or SQL Server. On SQLite whoever can write the file can change the log; the hash chain and external checkpoints only show it afterwards.",
                file);
    }
}
