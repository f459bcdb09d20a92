using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Performance;

/// <summary>
/// Case visibility is decided in the database and must be served by indexes: a police officer's list and count
/// cost about the same among 100,000 cases as among 1,000 (issue 4: no more than 2×, measured in one run).
/// </summary>
public sealed class VisibilityScaleTests
{
    private const int PoliceMemberships = 10;

    [Fact]
    public async Task PoliceCaseList_At100kCases_CostsNoMoreThanTwiceThe1kList()
    {
        await using var small = new SspfApiFactory();
        await using var large = new SspfApiFactory();
        var smallQuery = await SeedAsync(small, 1_000);
        var largeQuery = await SeedAsync(large, 100_000);

        // Warm both (plans, pools, caches), then alternate measurements so machine noise hits both alike.
        for (var i = 0; i < 5; i++) { await smallQuery(); await largeQuery(); }
        var smallTimes = new List<double>();
        var largeTimes = new List<double>();
        for (var i = 0; i < 31; i++)
        {
            smallTimes.Add(await TimeAsync(smallQuery));
            largeTimes.Add(await TimeAsync(largeQuery));
        }
        var ratio = Median(largeTimes) / Median(smallTimes);
        Assert.True(ratio <= 2.0, $"100k/1k = {ratio:F2} (medians {Median(largeTimes):F2} ms / {Median(smallTimes):F2} ms)");
    }

    /// <summary>Seeds <paramref name="cases"/> active cases (each with a school member and a consent for Skola), makes one police
    /// officer a member of ten of them with consent covering Polis on five, and returns the officer's list-and-count query.</summary>
    private static async Task<Func<Task>> SeedAsync(SspfApiFactory factory, int cases)
    {
        factory.CreateClient().Dispose();
        var services = factory.Services;
        Guid municipality, police;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            municipality = await db.Municipalities.Where(m => m.Name == "Falkenberg").Select(m => m.Id).SingleAsync();
            police = await db.Users.Where(u => u.Email == "polis@falkenberg.example").Select(u => u.Id).SingleAsync();
        }
        var now = factory.Clock.GetUtcNow();
        var raw = new RawDatabase(factory);
        var seed = factory.Provider switch
        {
            "Postgres" => PostgresSeed(cases, municipality, police),
            "SqlServer" => SqlServerSeed(cases, municipality, police, now),
            _ => SqliteSeed(cases, municipality, police, now),
        };
        foreach (var sql in seed)
            await raw.ExecuteAsync(sql);

        var viewer = new Viewer(police, Party.Polis, new HashSet<string> { Roles.Polis }, [municipality]);
        return async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var visible = db.VisibleCases(viewer, now);
            var count = await visible.CountAsync();
            var page = await visible.OrderByDescending(c => c.OpenedAt).Select(c => c.Id).Take(25).ToListAsync();
            Assert.Equal(PoliceMemberships / 2, count);
            Assert.Equal(PoliceMemberships / 2, page.Count);
        };
    }

    private static string Id(string table, string i) => $"printf('%08X-{table}-4000-8000-%012X', {i}, {i})";

    private static IEnumerable<string> SqliteSeed(int n, Guid municipality, Guid police, DateTimeOffset now)
    {
        var m = municipality.ToString().ToUpperInvariant();
        var p = police.ToString().ToUpperInvariant();
        var ticks = now.UtcTicks;
        var year = TimeSpan.FromDays(365).Ticks;
        var seq = $"WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < {n})";
        yield return $"""
            {seq} INSERT INTO "Cases" ("Id", "CaseNumber", "CoordinatorUserId", "MunicipalityId", "OpenedAt", "ProposedParties", "SignalCategory", "State", "Version",
              "YouthFamilyName", "YouthGivenName", "YouthPersonnummer", "YouthProtectedIdentity", "YouthPersonnummerIndex")
            SELECT {Id("0000", "i")}, 'SEED-' || i, '{p}', '{m}', {ticks} - i * 600000000, '["Skola"]', 'Other', 'Active', 1, 'x', 'x', 'x', 0, 'x' FROM seq
            """;
        yield return $"""
            {seq} INSERT INTO "CaseMembers" ("Id", "UserId", "Party", "AddedAt", "AddedByUserId", "CaseId")
            SELECT {Id("1111", "i")}, {Id("2222", "i % 500")}, 'Skola', {ticks}, '{p}', {Id("0000", "i")} FROM seq
            """;
        yield return $"""
            {seq} INSERT INTO "Consents" ("Id", "State", "Parties", "Categories", "ValidityMonths", "RequestedAt", "RequestedByUserId", "ValidFrom", "ValidTo", "CaseId")
            SELECT {Id("3333", "i")}, 'Valid', CASE WHEN i % {n / PoliceMemberships} = 0 AND i / {n / PoliceMemberships} % 2 = 0 THEN '["Skola","Polis"]' ELSE '["Skola"]' END,
              '["Basic"]', 12, {ticks}, '{p}', {ticks}, {ticks + year}, {Id("0000", "i")} FROM seq
            """;
        yield return $"""
            {seq} INSERT INTO "CaseMembers" ("Id", "UserId", "Party", "AddedAt", "AddedByUserId", "CaseId")
            SELECT {Id("4444", "i")}, '{p}', 'Polis', {ticks}, '{p}', {Id("0000", "i")} FROM seq WHERE i % {n / PoliceMemberships} = 0
            """;
        yield return "ANALYZE";
    }

    private static IEnumerable<string> PostgresSeed(int n, Guid municipality, Guid police)
    {
        static string Uuid(string table, string i) => $"('00000000-{table}-4000-8000-' || lpad(to_hex({i}), 12, '0'))::uuid";
        var every = n / PoliceMemberships;
        yield return $"""
            INSERT INTO "Cases" ("Id", "CaseNumber", "CoordinatorUserId", "MunicipalityId", "OpenedAt", "ProposedParties", "SignalCategory", "State", "Version",
              "YouthFamilyName", "YouthGivenName", "YouthPersonnummer", "YouthProtectedIdentity", "YouthPersonnummerIndex")
            SELECT {Uuid("0000", "i")}, 'SEED-' || i, '{police}', '{municipality}', now() - i * interval '1 minute', ARRAY['Skola'], 'Other', 'Active', 1, 'x', 'x', 'x', false, 'x'
            FROM generate_series(1, {n}) i
            """;
        yield return $"""
            INSERT INTO "CaseMembers" ("Id", "UserId", "Party", "AddedAt", "AddedByUserId", "CaseId")
            SELECT {Uuid("1111", "i")}, {Uuid("2222", "i % 500")}, 'Skola', now(), '{police}', {Uuid("0000", "i")} FROM generate_series(1, {n}) i
            """;
        yield return $"""
            INSERT INTO "Consents" ("Id", "State", "Parties", "Categories", "ValidityMonths", "RequestedAt", "RequestedByUserId", "ValidFrom", "ValidTo", "CaseId")
            SELECT {Uuid("3333", "i")}, 'Valid', CASE WHEN i % {every} = 0 AND i / {every} % 2 = 0 THEN ARRAY['Skola','Polis'] ELSE ARRAY['Skola'] END,
              ARRAY['Basic'], 12, now(), '{police}', now() - interval '1 day', now() + interval '1 year', {Uuid("0000", "i")} FROM generate_series(1, {n}) i
            """;
        yield return $"""
            INSERT INTO "CaseMembers" ("Id", "UserId", "Party", "AddedAt", "AddedByUserId", "CaseId")
            SELECT {Uuid("4444", "i")}, '{police}', 'Polis', now(), '{police}', {Uuid("0000", "i")} FROM generate_series(1, {n}) i WHERE i % {every} = 0
            """;
        yield return "ANALYZE";
    }

    /// <summary>The same rows in T-SQL (public: SqlServerScriptTests parses it). Ids as on PostgreSQL, times from the test's clock.</summary>
    public static IEnumerable<string> SqlServerSeed(int n, Guid municipality, Guid police, DateTimeOffset now)
    {
        static string Uuid(string table, string i) =>
            $"CONVERT(uniqueidentifier, CONCAT('00000000-{table}-4000-8000-', CONVERT(char(12), CONVERT(binary(6), CAST({i} AS bigint)), 2)))";
        var at = $"CAST('{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}+00:00' AS datetimeoffset)";
        var every = n / PoliceMemberships;
        // 1..n from a cross join of a catalogue view with itself (thousands of rows squared: enough for 100,000).
        var seq = $"WITH seq(i) AS (SELECT TOP ({n}) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) FROM sys.all_objects a CROSS JOIN sys.all_objects b)";
        yield return $"""
            {seq} INSERT INTO "Cases" ("Id", "CaseNumber", "CoordinatorUserId", "MunicipalityId", "OpenedAt", "ProposedParties", "SignalCategory", "State", "Version",
              "YouthFamilyName", "YouthGivenName", "YouthPersonnummer", "YouthProtectedIdentity", "YouthPersonnummerIndex")
            SELECT {Uuid("0000", "i")}, CONCAT(N'SEED-', i), '{police}', '{municipality}', DATEADD(minute, -i, {at}), N'["Skola"]', N'Other', N'Active', 1, N'x', N'x', N'x', 0, N'x' FROM seq
            """;
        yield return $"""
            {seq} INSERT INTO "CaseMembers" ("Id", "UserId", "Party", "AddedAt", "AddedByUserId", "CaseId")
            SELECT {Uuid("1111", "i")}, {Uuid("2222", "i % 500")}, N'Skola', {at}, '{police}', {Uuid("0000", "i")} FROM seq
            """;
        yield return $"""
            {seq} INSERT INTO "Consents" ("Id", "State", "Parties", "Categories", "ValidityMonths", "RequestedAt", "RequestedByUserId", "ValidFrom", "ValidTo", "CaseId")
            SELECT {Uuid("3333", "i")}, N'Valid', CASE WHEN i % {every} = 0 AND i / {every} % 2 = 0 THEN N'["Skola","Polis"]' ELSE N'["Skola"]' END,
              N'["Basic"]', 12, {at}, '{police}', {at}, DATEADD(year, 1, {at}), {Uuid("0000", "i")} FROM seq
            """;
        yield return $"""
            {seq} INSERT INTO "CaseMembers" ("Id", "UserId", "Party", "AddedAt", "AddedByUserId", "CaseId")
            SELECT {Uuid("4444", "i")}, '{police}', N'Polis', {at}, '{police}', {Uuid("0000", "i")} FROM seq WHERE i % {every} = 0
            """;
        yield return """UPDATE STATISTICS "Cases"; UPDATE STATISTICS "CaseMembers"; UPDATE STATISTICS "Consents";""";
    }

    private static async Task<double> TimeAsync(Func<Task> query)
    {
        var watch = Stopwatch.StartNew();
        await query();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
