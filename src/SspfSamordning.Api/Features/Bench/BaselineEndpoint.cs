using Npgsql;

namespace SspfSamordning.Api.Features.Bench;

/// <summary>
/// Benchmark build only (<c>-p:SspfBench=true</c>): GET /bench/baseline/{id} reads the same case row as GET /api/cases/{id}
/// with raw Npgsql — no EF, no authorization, no decryption, no audit — and returns its columns as stored. It marks the
/// physical limit that bench/load.sh compares every scenario with.
/// </summary>
public static class BaselineEndpoint
{
    public static void Map(WebApplication app)
    {
        var dataSource = NpgsqlDataSource.Create(app.Configuration.GetConnectionString("Sspf")
            ?? throw new InvalidOperationException("The baseline needs ConnectionStrings:Sspf (PostgreSQL)."));
        app.MapGet("/bench/baseline/{id:guid}", async (Guid id, CancellationToken ct) =>
        {
            await using var command = dataSource.CreateCommand("""SELECT * FROM "Cases" WHERE "Id" = $1""");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return Results.NotFound();
            var row = new Dictionary<string, object?>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            return Results.Ok(row);
        }).AllowAnonymous();
    }
}
