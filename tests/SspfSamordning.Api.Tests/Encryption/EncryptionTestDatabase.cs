using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Encryption;

/// <summary>
/// A database of its own for <see cref="EncryptionTestContext"/> (a SQLite file, or a fresh PostgreSQL or SQL Server
/// database when SSPF_TEST_DATABASE=Postgres or SqlServer), and app "instances" on it: each <see cref="Instance"/> is
/// a service provider with field encryption registered as the app does, with its own or a shared Data
/// Protection key ring.
/// </summary>
public sealed class EncryptionTestDatabase : IAsyncDisposable
{
    public const string BlindIndexKey = "c3NwZi10ZXN0LWJsaW5kLWluZGV4LWtleS0zMi1ieXRlcyEh"; // 35 bytes, tests only

    private readonly string directory = Directory.CreateTempSubdirectory("sspf-enc-").FullName;
    private readonly string? postgresDatabase;
    private readonly string? sqlServerDatabase;
    private readonly List<ServiceProvider> instances = [];

    public string Provider { get; } = Environment.GetEnvironmentVariable("SSPF_TEST_DATABASE") ?? "Sqlite";
    public string ConnectionString { get; }

    /// <summary>The Data Protection key ring folder instances share unless told otherwise.</summary>
    public string KeyRingDirectory => Path.Combine(directory, "key-ring");

    public EncryptionTestDatabase()
    {
        if (Provider == "Postgres")
        {
            var server = Environment.GetEnvironmentVariable("SSPF_TEST_POSTGRES")
                ?? throw new InvalidOperationException("SSPF_TEST_POSTGRES is not set: run the tests through ./test.sh.");
            postgresDatabase = "sspf_enc_" + Guid.NewGuid().ToString("N");
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = postgresDatabase }.ConnectionString;
        }
        else if (Provider == "SqlServer")
        {
            sqlServerDatabase = "sspf_enc_" + Guid.NewGuid().ToString("N");
            ConnectionString = SqlServerRoles.NewDatabase(sqlServerDatabase).Owner;
        }
        else
        {
            ConnectionString = $"Data Source={Path.Combine(directory, "encryption.db")};Pooling=False";
        }
    }

    public static async Task<EncryptionTestDatabase> CreateAsync()
    {
        var database = new EncryptionTestDatabase();
        await using var scope = database.Instance().CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EncryptionTestContext>().Database.EnsureCreatedAsync();
        return database;
    }

    /// <summary>An app instance on this database.</summary>
    /// <param name="keyRingDirectory">Its Data Protection key ring (default: the shared one).</param>
    /// <param name="protectKeyRing">Extra Data Protection configuration, e.g. a master key.</param>
    public ServiceProvider Instance(string? keyRingDirectory = null, Action<IDataProtectionBuilder>? protectKeyRing = null)
    {
        var environment = new TestHostEnvironment("Development", directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = directory,
            [BlindIndex.KeySetting] = BlindIndexKey,
            [BlindIndex.IterationsSetting] = "10",
        }).Build();
        var services = new ServiceCollection();
        var dataProtection = services.AddDataProtection().SetApplicationName("SspfSamordning.Tests")
            .PersistKeysToFileSystem(new DirectoryInfo(keyRingDirectory ?? KeyRingDirectory));
        protectKeyRing?.Invoke(dataProtection);
        services.AddDbContext<EncryptionTestContext>((sp, options) =>
        {
            if (Provider == "Postgres") options.UseNpgsql(ConnectionString);
            else if (Provider == "SqlServer") options.UseSqlServer(ConnectionString);
            else options.UseSqlite(ConnectionString);
            options.UseFieldEncryption();
        });
        services.AddFieldEncryption<EncryptionTestContext>(configuration, environment);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        instances.Add(provider);
        return provider;
    }

    /// <summary>Every row of a table as column → raw value, read with ADO.NET (no EF, no interceptor).</summary>
    public async Task<List<Dictionary<string, object?>>> ReadRawAsync(string table)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The raw row of a table whose "Id" is <paramref name="id"/>.</summary>
    public async Task<Dictionary<string, object?>> ReadRawAsync(string table, Guid id) =>
        (await ReadRawAsync(table)).Single(r => Guid.Parse(r["Id"]!.ToString()!) == id);

    /// <summary>Runs SQL with EF's parameter mapping (so a Guid matches how EF stored it).</summary>
    public async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var scope = Instance().CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EncryptionTestContext>().Database.ExecuteSqlRawAsync(sql, parameters);
    }

    private DbConnection Connect() => ProviderSql.For(Provider).Connection(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
        if (sqlServerDatabase is not null) SqlServerRoles.DropDatabase(sqlServerDatabase);
        if (postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("SSPF_TEST_POSTGRES"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Directory.Delete(directory, recursive: true);
    }
}

public sealed class TestHostEnvironment(string environmentName, string contentRoot) : IHostEnvironment
{
    public string EnvironmentName { get; set; } = environmentName;
    public string ApplicationName { get; set; } = "SspfSamordning.Tests";
    public string ContentRootPath { get; set; } = contentRoot;
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
