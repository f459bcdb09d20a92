using System.Data.Common;

namespace SspfSamordning.Api.Tests.Infrastructure;

/// <summary>The factory's database read and written with plain ADO.NET, bypassing the app — as an attacker with a copy would.</summary>
public sealed class RawDatabase(SspfApiFactory factory)
{
    public async Task<DbConnection> OpenAsync()
    {
        var connection = factory.Sql.Connection(factory.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Every value of every row of every table, as text.</summary>
    public async Task<List<(string Table, string Value)>> AllValuesAsync()
    {
        await using var connection = await OpenAsync();
        var tables = await ColumnAsync(connection, factory.Provider switch
        {
            "Postgres" => "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            "SqlServer" => "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'dbo' AND TABLE_TYPE = 'BASE TABLE'",
            _ => "SELECT name FROM sqlite_master WHERE type = 'table'",
        });
        var values = new List<(string, string)>();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++)
                    if (!await reader.IsDBNullAsync(i))
                        values.Add((table, reader.GetValue(i) is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!));
        }
        return values;
    }

    public async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="sql"/> on a connection the test keeps open (e.g. one that holds a lock).</summary>
    public static async Task ExecuteOnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ColumnAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<string>();
        while (await reader.ReadAsync()) result.Add(reader.GetString(0));
        return result;
    }
}
