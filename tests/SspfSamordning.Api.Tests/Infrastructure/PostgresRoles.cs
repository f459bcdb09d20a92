using Microsoft.EntityFrameworkCore;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>What an operator does before the app starts on PostgreSQL: migrate as the owner (the app's tables and Hangfire's schema, as --migrate does), then apply db/roles-postgres.sql.</summary>
public static class PostgresRoles
{
    public static readonly string Script = File.ReadAllText(Path.Combine(RepositoryRoot(), "db", "roles-postgres.sql"));

    private static void MigrateAndGrant(string ownerConnectionString)
    {
        using (var db = new PostgresSspfDbContext(new DbContextOptionsBuilder<PostgresSspfDbContext>().UseNpgsql(ownerConnectionString).Options))
            db.Database.Migrate();
        SspfSamordning.Api.Infrastructure.Scheduling.Jobs.InstallPostgresSchema(ownerConnectionString);
        using var connection = new NpgsqlConnection(ownerConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(Script, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Makes <paramref name="database"/> on the server <paramref name="serverConnectionString"/> names, unless it exists, as
    /// <see cref="MigrateAndGrant"/> leaves a new one: copied (<c>CREATE DATABASE … TEMPLATE</c>) from a database this
    /// test process migrated and granted once. Migrating every factory's database anew was a large share of the
    /// PostgreSQL run; the copy has the same tables, functions, policies and grants. The template is dropped when the
    /// process exits (test.sh's throwaway cluster goes with it anyway).
    /// </summary>
    public static void EnsureMigrated(string serverConnectionString, string database)
    {
        lock (templateLock)
        {
            template ??= CreateTemplate(serverConnectionString);
            using var connection = new NpgsqlConnection(serverConnectionString);
            connection.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
            if (exists.ExecuteScalar() is not null) return;
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\"", connection);
            create.ExecuteNonQuery();
        }
    }

    private static readonly Lock templateLock = new();
    private static string? template;

    private static string CreateTemplate(string serverConnectionString)
    {
        var name = "sspf_template_" + Guid.NewGuid().ToString("N");
        // No pooled connection may stay open on a template: CREATE DATABASE refuses to copy a database in use.
        var unpooled = new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false };
        MigrateAndGrant(new NpgsqlConnectionStringBuilder(unpooled.ConnectionString) { Database = name }.ConnectionString);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var connection = new NpgsqlConnection(unpooled.ConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        };
        return name;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "db", "roles-postgres.sql"))) return dir.FullName;
        throw new InvalidOperationException("db/roles-postgres.sql not found above " + AppContext.BaseDirectory);
    }
}
