// Micro-benchmarks of SSPF Samordning. Each reports ratios measured in the same run, never single timings alone.
//   dotnet run -c Release --project bench/SspfSamordning.Bench -- encryption [--out bench/results/encryption.md]
//   dotnet run -c Release --project bench/SspfSamordning.Bench -- dispatch [--out bench/results/dispatch.md]
//   dotnet run -c Release --project bench/SspfSamordning.Bench -- audit --postgres "Host=...;Username=..." [--out bench/results/audit.md]
//   dotnet run -c Release --project bench/SspfSamordning.Bench -- workflows [--out bench/results/workflows.md]
//   dotnet run -c Release --project bench/SspfSamordning.Bench -- protect [--out FILE]   (statistics protection, one grid year)
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

var outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
if (args.FirstOrDefault() == "dispatch") return await DispatchBench.RunAsync(outFile);
if (args.FirstOrDefault() == "audit") return await AuditBench.RunAsync(args);
if (args.FirstOrDefault() == "workflows") return WorkflowBench.Run(outFile);
if (args.FirstOrDefault() == "protect") return ProtectionBench.Run(outFile);
if (args.FirstOrDefault() != "encryption")
{
    Console.Error.WriteLine("usage: SspfSamordning.Bench encryption [--out FILE] | dispatch [--out FILE] | audit --postgres CONNECTION [--out FILE] | workflows [--out FILE] | protect [--out FILE]");
    return 2;
}
var report = new StringBuilder();
void Line(string text) { Console.WriteLine(text); report.AppendLine(text); }

Line($"# Field-level encryption: cost per field and per case read");
Line("");
Line($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}. Medians of repeated runs; ratios are within this run.");
Line("");

// 1. One field: AES-256-GCM with associated data, against copying the same string (the floor).
var key = new DataKeyMaterial(Guid.NewGuid(), Guid.NewGuid(), 1, RandomNumberGenerator.GetBytes(FieldCipher.KeySizeBytes));
var location = new FieldLocation("Cases", "YouthGivenName", Guid.NewGuid().ToString());
Line("| field | plaintext length | encrypt µs | decrypt µs | copy µs | encrypt / copy | decrypt / copy |");
Line("|---|---:|---:|---:|---:|---:|---:|");
foreach (var (name, value) in new[] { ("given name", "Kim"), ("address", "Storgatan 12 B, 311 30 Falkenberg"), ("minutes", new string('x', 2000)) })
{
    var stored = FieldCipher.Encrypt(value, key, location);
    var encrypt = MedianMicros(() => FieldCipher.Encrypt(value, key, location), 20_000);
    var decrypt = MedianMicros(() => FieldCipher.Decrypt(stored, key, location), 20_000);
    var copy = MedianMicros(() => new string(value.AsSpan()), 20_000);
    Line($"| {name} | {value.Length} | {encrypt:F3} | {decrypt:F3} | {copy:F3} | {encrypt / copy:F1} | {decrypt / copy:F1} |");
}
Line("");

// 2. A whole case read (the case with its youth and guardians, ~12 encrypted fields) with and without encryption.
var plain = await CaseStore.CreateAsync(encrypted: false);
var secret = await CaseStore.CreateAsync(encrypted: true);
var ids = await plain.SeedAsync(200);
var secretIds = await secret.SeedAsync(200);
for (var i = 0; i < 200; i++) { await plain.ReadAsync(ids[i]); await secret.ReadAsync(secretIds[i]); }
var plainTimes = new List<double>();
var secretTimes = new List<double>();
for (var round = 0; round < 15; round++)
{
    plainTimes.Add(await TimeMicrosAsync(async () => { foreach (var id in ids) await plain.ReadAsync(id); }) / ids.Count);
    secretTimes.Add(await TimeMicrosAsync(async () => { foreach (var id in secretIds) await secret.ReadAsync(id); }) / secretIds.Count);
}
var (p, s) = (Median(plainTimes), Median(secretTimes));
Line("| case read (SQLite, new scope per read, keys unwrapped per read) | µs per read |");
Line("|---|---:|");
Line($"| without encryption | {p:F0} |");
Line($"| with encryption | {s:F0} |");
Line($"| **ratio** | **{s / p:F2}** |");
Line("");
Line("Each encrypted read unwraps the case's data key once (Data Protection) and decrypts every field; the ratio is the whole price.");

if (outFile is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
    await File.WriteAllTextAsync(outFile, report.ToString());
}
await plain.DisposeAsync();
await secret.DisposeAsync();
return 0;

static double MedianMicros(Action action, int iterations)
{
    for (var i = 0; i < iterations / 10; i++) action();
    var samples = new List<double>();
    for (var round = 0; round < 9; round++)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) action();
        samples.Add(watch.Elapsed.TotalMicroseconds / iterations);
    }
    return Median(samples);
}

static async Task<double> TimeMicrosAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalMicroseconds;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

/// <summary>The app's real model and DbContext on a SQLite file, with or without field encryption (<c>UseFieldEncryption</c>).</summary>
internal sealed class CaseStore : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly string directory;

    private CaseStore(ServiceProvider services, string directory) => (this.services, this.directory) = (services, directory);

    public static async Task<CaseStore> CreateAsync(bool encrypted)
    {
        var directory = Directory.CreateTempSubdirectory("sspf-bench-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = directory,
        }).Build();
        var environment = new BenchEnvironment(directory);
        var collection = new ServiceCollection();
        collection.AddSingleton(TimeProvider.System);
        collection.AddDataProtection().SetApplicationName("SspfBench").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys")));
        collection.AddFieldEncryption<SspfDbContext>(configuration, environment);
        var connection = $"Data Source={Path.Combine(directory, "bench.db")}";
        collection.AddDbContext<SspfDbContext, SqliteSspfDbContext>(o =>
        {
            o.UseSqlite(connection);
            if (encrypted) o.UseFieldEncryption();
        });
        var services = collection.BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SspfDbContext>().Database.MigrateAsync();
        return new CaseStore(services, directory);
    }

    public async Task<List<Guid>> SeedAsync(int count)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var municipality = new SspfSamordning.Api.Infrastructure.Auth.Municipality { Name = "Bench", Code = "9999" };
        var ids = new List<Guid>();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        db.Municipalities.Add(municipality);
        for (var i = 0; i < count; i++)
        {
            var youth = Youth.Create(Personnummer(today.AddYears(-15).AddDays(-i)), "Kim", "Testsson", today, "Tångaskolan", "Storgatan 12 B");
            Guardian[] guardians =
            [
                Guardian.Create("Anna", "Testsson", true, today, null, "070-1234567", "anna@example.se", "Storgatan 12 B"),
                Guardian.Create("Per", "Testsson", true, today, null, "070-7654321", "per@example.se", "Storgatan 12 B"),
            ];
            var @case = Case.Open(municipality.Id, $"SSPF-2026-{i:D4}", youth, guardians, SignalCategory.Other, [Party.Skola], Guid.NewGuid(), now);
            db.Cases.Add(@case);
            db.Entry(@case).Property(Aggregates.PersonnummerIndex).CurrentValue = "bench";
            ids.Add(@case.Id);
        }
        await db.SaveChangesAsync();
        return ids;
    }

    public async Task ReadAsync(Guid id)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
        var loaded = await db.Cases.AsNoTracking().Include(c => c.Guardians).SingleAsync(c => c.Id == id);
        if (loaded.Youth.GivenName != "Kim") throw new InvalidOperationException("Read back something else.");
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    internal static string Personnummer(DateOnly birth)
    {
        var nine = birth.ToString("yyMMdd", CultureInfo.InvariantCulture) + "123";
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var d = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }
        return birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "123" + ((10 - sum % 10) % 10).ToString(CultureInfo.InvariantCulture);
    }

    private sealed class BenchEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "SspfSamordning.Bench";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
