using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Access-log append throughput on PostgreSQL, in one run: the same one-event INSERT per transaction without the chain
/// and with it (advisory lock, head read, SHA-256), and the app's own path (AuditLog.AppendAsync through EF Core), each
/// with 1 and 8 concurrent writers. Runs in a database of its own, created and dropped here.
/// </summary>
internal static class AuditBench
{
    private const int EventsPerRound = 1500;
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var server = args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault() ?? Environment.GetEnvironmentVariable("SSPF_BENCH_POSTGRES");
        if (server is null)
        {
            Console.Error.WriteLine("usage: SspfSamordning.Bench audit --postgres \"Host=...;Username=...\" [--out FILE] (or SSPF_BENCH_POSTGRES)");
            return 2;
        }
        var outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
        var database = $"sspf_bench_audit_{Guid.NewGuid():N}"[..30];
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString;
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 20 }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        try
        {
            await using (var db = new PostgresSspfDbContext(new DbContextOptionsBuilder<PostgresSspfDbContext>().UseNpgsql(connection).Options))
                await db.Database.MigrateAsync();
            var services = new ServiceCollection()
                .AddSingleton(TimeProvider.System)
                .AddHttpContextAccessor()
                .AddScoped<IAuditContext, AuditContext>()
                .AddSingleton<AuditLog>()
                .AddDbContext<SspfDbContext, PostgresSspfDbContext>(o => o.UseNpgsql(connection))
                .BuildServiceProvider();
            var log = services.GetRequiredService<AuditLog>();
            var audit = new AuditContext(new Microsoft.AspNetCore.Http.HttpContextAccessor(), TimeProvider.System);

            var report = new StringBuilder();
            void Line(string text) { Console.WriteLine(text); report.AppendLine(text); }
            await using (var version = new NpgsqlConnection(connection))
            {
                await version.OpenAsync();
                Line("# Access log: append throughput on PostgreSQL");
                Line("");
                Line($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, PostgreSQL {version.PostgreSqlVersion}. "
                    + $"{EventsPerRound} events per round, median of {Rounds} rounds; one event per transaction (one request's read). Ratios are within this run.");
            }
            Line("");
            Line("| writers | INSERT, no chain (events/s) | INSERT with chain (events/s) | chain / no chain | app: AuditLog.AppendAsync (events/s) |");
            Line("|---:|---:|---:|---:|---:|");
            foreach (var writers in new[] { 1, 8 })
            {
                var plain = await MeasureAsync(connection, writers, (c, n) => InsertAsync(c, audit, n, chained: false));
                var chained = await MeasureAsync(connection, writers, (c, n) => InsertAsync(c, audit, n, chained: true));
                var app = await MeasureAsync(connection, writers, (_, _) => log.AppendAsync(audit.NewEvent(AuditAction.Read, caseId: Guid.NewGuid(), entityType: "Case"), CancellationToken.None));
                Line($"| {writers} | {plain:F0} | {chained:F0} | {chained / plain:F2} | {app:F0} |");
            }
            await using (var scope = services.CreateAsyncScope())
            {
                var verified = await AuditVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), CancellationToken.None);
                Line("");
                Line($"The log of the last round (the app's path, 8 writers) verifies: {verified.Valid} ({verified.CheckedEvents} events).");
            }
            Line("");
            Line("Appends are serialized by design (one chain): with the chain, more writers queue on the advisory lock instead of adding throughput.");
            if (outFile is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
                await File.WriteAllTextAsync(outFile, report.ToString());
            }
            await services.DisposeAsync();
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static long plainSequence = 1_000_000_000;

    /// <summary>Events per second of <paramref name="append"/> by <paramref name="writers"/> concurrent writers; the log is emptied between rounds (as the owner).</summary>
    private static async Task<double> MeasureAsync(string connection, int writers, Func<NpgsqlConnection, int, Task> append)
    {
        var samples = new List<double>();
        for (var round = 0; round < Rounds + 1; round++)
        {
            await ExecuteAsync(connection, "TRUNCATE \"AccessEvents\"");
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
            {
                await using var c = new NpgsqlConnection(connection);
                await c.OpenAsync();
                for (var i = 0; i < EventsPerRound / writers; i++) await append(c, i);
            }));
            if (round > 0) samples.Add(EventsPerRound / watch.Elapsed.TotalSeconds); // the first round warms up
        }
        return samples.Order().ElementAt(samples.Count / 2);
    }

    /// <summary>One event in its own transaction; with the chain, as AuditChain links it: lock, head, hash.</summary>
    private static async Task InsertAsync(NpgsqlConnection c, IAuditContext audit, int _, bool chained)
    {
        var e = audit.NewEvent(AuditAction.Read, caseId: Guid.NewGuid(), entityType: "Case");
        await using var transaction = await c.BeginTransactionAsync();
        if (chained)
        {
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AuditChain.AppendLockKey})", c, transaction))
                await lockCommand.ExecuteNonQueryAsync();
            await using var head = new NpgsqlCommand("SELECT \"Sequence\", \"Hash\" FROM \"AccessEvents\" ORDER BY \"Sequence\" DESC LIMIT 1", c, transaction);
            await using var reader = await head.ExecuteReaderAsync();
            var found = await reader.ReadAsync();
            e.Sequence = found ? reader.GetInt64(0) + 1 : 1;
            e.PreviousHash = found ? reader.GetString(1) : AuditChain.Genesis;
            e.Hash = AuditChain.ComputeHash(e);
        }
        else
        {
            e.Sequence = Interlocked.Increment(ref plainSequence);
        }
        await using var insert = new NpgsqlCommand("""
            INSERT INTO "AccessEvents" ("Id", "Sequence", "At", "ActorUserId", "Roles", "Party", "MunicipalityId", "Action", "CaseId",
              "EntityType", "EntityId", "Categories", "Purpose", "Decision", "CorrelationId", "PreviousHash", "Hash")
            VALUES ($1, $2, $3, NULL, $4, NULL, NULL, $5, $6, $7, NULL, $8, NULL, $9, $10, $11, $12)
            """, c, transaction);
        foreach (var value in new object[] { e.Id, e.Sequence, e.At, e.Roles, e.Action.ToString(), e.CaseId!, e.EntityType!, e.Categories, e.Decision.ToString(), e.CorrelationId, e.PreviousHash, e.Hash })
            insert.Parameters.Add(new NpgsqlParameter { Value = value });
        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }
}
