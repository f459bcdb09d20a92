using System.Data.Common;
using System.Diagnostics;
using System.Text;
#if !SSPF_QUARTZ
using Hangfire;
using Hangfire.InMemory;
#endif
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>
/// Reminder dispatch throughput: deadlines whose reminder is due, dispatched by one instance and by two at once
/// (two service providers with their own connections, in this process), on PostgreSQL when SSPF_BENCH_POSTGRES names a
/// server (the bench creates and drops its own databases there), else on a SQLite file. A fresh database per measurement.
/// Each measurement also profiles the dispatch (the PROFILE lines, which <c>bench/dispatch.sh --vs</c> compares between two
/// trees): the process's CPU time and allocations, and the database commands EF Core sent with the time each took from
/// sending to its result (the wall time spent waiting for PostgreSQL, summed over the instances), per deadline.
/// <c>-p:SspfQuartz=true</c> builds it against a tree from before Hangfire (26ad353).
/// </summary>
internal static class DispatchBench
{
    private const int Deadlines = 4000;
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string? outFile)
    {
        var server = Environment.GetEnvironmentVariable("SSPF_BENCH_POSTGRES");
        var report = new StringBuilder();
        void Line(string text) { Console.WriteLine(text); report.AppendLine(text); }

        Line("# Reminder dispatch: deadlines per second, one vs two instances");
        Line("");
        Line($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
             $"{(server is null ? "SQLite (file)" : "PostgreSQL " + await ServerVersionAsync(server))}. {Deadlines} deadlines with a due reminder per " +
             $"measurement, a fresh database each time, median of {Rounds} rounds after an unmeasured one. Each step: claimed in a batch of 200, marked, an in-app " +
             "notification and its delivery row written (e-mail off: its cost is the SMTP server's).");
        Line("");
        // One unmeasured round first (and tiered compilation off, as in the API): profiled, the first measurement of a fresh
        // process cost about three times the CPU per deadline of the third in every process, before and after alike (JIT
        // compilation), so the median of three depended on how fast the process warmed up as much as on the code under test.
        foreach (var instances in new[] { 1, 2 }) await MeasureAsync(server, instances);
        var perSecond = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
        for (var round = 0; round < Rounds; round++)
            foreach (var instances in new[] { 1, 2 })
            {
                var profile = await MeasureAsync(server, instances);
                perSecond[instances].Add(profile.PerSecond);
                Console.WriteLine(profile.Line(instances));
            }
        Line("| instances | deadlines / s |");
        Line("|---:|---:|");
        foreach (var (instances, values) in perSecond) Line($"| {instances} | {Median(values):F0} |");
        Line("");
        Line($"**two / one: {Median(perSecond[2]) / Median(perSecond[1]):F2}**");
        if (outFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
            await File.WriteAllTextAsync(outFile, report.ToString());
        }
        return 0;
    }

    /// <summary>One measurement: throughput, and per deadline the process's CPU and allocations and EF Core's commands.</summary>
    private sealed record Profile(double PerSecond, double CpuMicroseconds, double AllocatedBytes, double Commands, double CommandMicroseconds)
    {
        public string Line(int instances) => FormattableString.Invariant(
            $"PROFILE instances={instances} per_second={PerSecond:F0} cpu_us={CpuMicroseconds:F1} alloc_bytes={AllocatedBytes:F0} commands={Commands:F3} command_us={CommandMicroseconds:F1}");
    }

    /// <summary>Counts the commands EF Core sends and sums the time from sending each to its result (reader opened, rows affected).</summary>
    private sealed class CommandCounter : DbCommandInterceptor
    {
        private long count, ticks;
        public long Count => Interlocked.Read(ref count);
        public TimeSpan Time => TimeSpan.FromTicks(Interlocked.Read(ref ticks));

        private T Counted<T>(CommandExecutedEventData data, T result)
        {
            Interlocked.Increment(ref count);
            Interlocked.Add(ref ticks, data.Duration.Ticks);
            return result;
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData data, DbDataReader result) => Counted(data, result);
        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData data, int result) => Counted(data, result);
        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData data, object? result) => Counted(data, result);
        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData data, DbDataReader result, CancellationToken ct = default) =>
            ValueTask.FromResult(Counted(data, result));
        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData data, int result, CancellationToken ct = default) =>
            ValueTask.FromResult(Counted(data, result));
        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData data, object? result, CancellationToken ct = default) =>
            ValueTask.FromResult(Counted(data, result));
    }

    private static async Task<Profile> MeasureAsync(string? server, int instances)
    {
        var directory = Directory.CreateTempSubdirectory("sspf-bench-dispatch-").FullName;
        var database = "sspf_bench_" + Guid.NewGuid().ToString("N");
        var connection = server is null
            ? $"Data Source={Path.Combine(directory, "bench.db")}"
            : new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        if (server is not null) await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        var counter = new CommandCounter();
        var providers = Enumerable.Range(0, instances).Select(_ => Instance(connection, postgres: server is not null, counter)).ToList();
        try
        {
            await using (var scope = providers[0].CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Database.MigrateAsync();
            await InsertDueAsync(connection, postgres: server is not null);

            var (commandsBefore, commandTimeBefore) = (counter.Count, counter.Time);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var results = await Task.WhenAll(providers.Select(async p =>
            {
                await using var scope = p.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(CancellationToken.None);
            }));
            watch.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            if (results.Sum(r => r.Steps) != Deadlines) throw new InvalidOperationException($"Dispatched {results.Sum(r => r.Steps)} of {Deadlines}.");
            return new Profile(Deadlines / watch.Elapsed.TotalSeconds, cpu.TotalMicroseconds / Deadlines, (double)allocated / Deadlines,
                (double)(counter.Count - commandsBefore) / Deadlines, (counter.Time - commandTimeBefore).TotalMicroseconds / Deadlines);
        }
        finally
        {
            foreach (var p in providers) await p.DisposeAsync();
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (server is not null) await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ServiceProvider Instance(string connection, bool postgres, CommandCounter counter)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOptions();
        services.Configure<ReminderOptions>(new ConfigurationBuilder().Build());
        services.Configure<EmailOptions>(_ => { });
        services.AddSingleton<EmailSender>();
#if !SSPF_QUARTZ
        // E-mail is off here, so nothing is enqueued; the dispatcher still needs a job client.
        services.AddSingleton<IBackgroundJobClient>(new BackgroundJobClient(new InMemoryStorage()));
#endif
        services.AddScoped<ReminderDispatcher>();
        if (postgres) services.AddDbContext<SspfDbContext, PostgresSspfDbContext>(o => o.UseNpgsql(connection).AddInterceptors(counter));
        else services.AddDbContext<SspfDbContext, SqliteSspfDbContext>(o => o.UseSqlite(connection).AddInterceptors(counter));
        return services.BuildServiceProvider();
    }

    /// <summary>Deadlines of no case (the text then names only the task), reminder due a minute ago, deadline tomorrow.</summary>
    private static async Task InsertDueAsync(string connection, bool postgres)
    {
        var now = DateTimeOffset.UtcNow;
        if (postgres)
        {
            await using var pg = new NpgsqlConnection(connection);
            await pg.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO "Deadlines" ("Id", "Kind", "SubjectId", "DueAt", "RemindAt", "ResponsibleUserId", "EscalateToUserId", "State", "CreatedAt")
                SELECT gen_random_uuid(), 'Meeting', gen_random_uuid(), @due, @remind, gen_random_uuid(), gen_random_uuid(), 'Open', @now
                FROM generate_series(1, @count)
                """, pg);
            insert.Parameters.AddWithValue("due", now.AddDays(1));
            insert.Parameters.AddWithValue("remind", now.AddMinutes(-1));
            insert.Parameters.AddWithValue("now", now.AddMinutes(-2));
            insert.Parameters.AddWithValue("count", Deadlines);
            await insert.ExecuteNonQueryAsync();
            return;
        }
        await using var sqlite = new SqliteConnection(connection);
        await sqlite.OpenAsync();
        await using var transaction = sqlite.BeginTransaction();
        for (var i = 0; i < Deadlines; i++)
        {
            await using var command = sqlite.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO "Deadlines" ("Id", "Kind", "SubjectId", "DueAt", "RemindAt", "ResponsibleUserId", "EscalateToUserId", "State", "CreatedAt")
                VALUES ($id, 'Meeting', $subject, $due, $remind, $user, $user, 'Open', $now)
                """;
            command.Parameters.AddWithValue("$id", Guid.CreateVersion7().ToString().ToUpperInvariant());
            command.Parameters.AddWithValue("$subject", Guid.NewGuid().ToString().ToUpperInvariant());
            command.Parameters.AddWithValue("$due", now.AddDays(1).UtcTicks);
            command.Parameters.AddWithValue("$remind", now.AddMinutes(-1).UtcTicks);
            command.Parameters.AddWithValue("$user", Guid.NewGuid().ToString().ToUpperInvariant());
            command.Parameters.AddWithValue("$now", now.AddMinutes(-2).UtcTicks);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ServerVersionAsync(string server)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        return connection.PostgreSqlVersion.ToString();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
