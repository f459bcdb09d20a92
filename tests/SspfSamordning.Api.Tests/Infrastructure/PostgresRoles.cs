using Microsoft.EntityFrameworkCore;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>What an operator does before the app starts on PostgreSQL: migrate as the owner (the app's tables and Hangfire's schema, as --migrate does), then apply db/roles-postgres.sql.</summary>
public static class PostgresRoles
{
    public static readonly string Script = File.ReadAllText(Path.Combine(RepositoryRoot(), "db", "roles-postgres.sql"));

    public static void MigrateAndGrant(string ownerConnectionString)
    {
        using (var db = new PostgresSspfDbContext(new DbContextOptionsBuilder<PostgresSspfDbContext>().UseNpgsql(ownerConnectionString).Options))
            db.Database.Migrate();
        SspfSamordning.Api.Infrastructure.Scheduling.Jobs.InstallPostgresSchema(ownerConnectionString);
        using var connection = new NpgsqlConnection(ownerConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(Script, connection);
        command.ExecuteNonQuery();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "db", "roles-postgres.sql"))) return dir.FullName;
        throw new InvalidOperationException("db/roles-postgres.sql not found above " + AppContext.BaseDirectory);
    }
}
