using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SspfSamordning.Api.Infrastructure.Persistence;

/// <summary>The last case number handed out per municipality and year.</summary>
public sealed class CaseNumberCounter
{
    public Guid MunicipalityId { get; init; }
    public int Year { get; init; }
    public int Last { get; set; }
}

internal sealed class CaseNumberCounterConfiguration : IEntityTypeConfiguration<CaseNumberCounter>
{
    public void Configure(EntityTypeBuilder<CaseNumberCounter> b) => b.HasKey(c => new { c.MunicipalityId, c.Year });
}

/// <summary>
/// Human case numbers, SSPF-{year}-{nnnn}, counting per municipality and year. Call inside the transaction
/// that creates the case: the increment is one conditional UPDATE, which serializes concurrent openings.
/// </summary>
/// <remarks>
/// On PostgreSQL the openings of one municipality and year first queue on a transaction-scoped advisory lock of the
/// counter, sent with the increment as one batch (<see cref="IncrementInTurnAsync"/>). Waiting on the counter's row lock
/// alone was unfair: a waiter that wakes when the holder commits must lock the row's newest version, which an opening
/// arriving just then may already hold, so some openings were passed over again and again (issue 22, bench/results/load.md:
/// case creation's p95 231 → 871 ms once the one-open-case lock stopped queueing openings per municipality). The
/// advisory lock's queue is first come, first served, and the row lock is then always free.
/// </remarks>
public static class CaseNumbers
{
    public static async Task<string> NextAsync(SspfDbContext db, Guid municipalityId, int year, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await IncrementAsync(db, municipalityId, year, ct) is { } last) return Format(year, last);
            // The year's first case: create the counter. When another opening creates it at the same moment, this insert
            // waits for that one's transaction and then does nothing (never a unique violation, which on PostgreSQL would
            // also abort this transaction; SqlDialect.InsertCaseNumberCounter); the next round increments the counter it created.
            var inserted = await db.Database.ExecuteSqlRawAsync(SqlDialect.Of(db.Database).InsertCaseNumberCounter, [municipalityId, year], ct);
            if (inserted == 1) return Format(year, 1);
            if (attempt > 0)
                throw new InvalidOperationException($"The case-number counter of municipality {municipalityId} for {year} could be neither incremented nor created.");
        }
    }

    /// <summary>The counter after the increment, or null when the municipality has no counter for the year yet.</summary>
    private static async Task<int?> IncrementAsync(SspfDbContext db, Guid municipalityId, int year, CancellationToken ct)
    {
        if (db.Database.IsNpgsql()) return await IncrementInTurnAsync(db, municipalityId, year, ct);
        var updated = await db.CaseNumberCounters.Where(c => c.MunicipalityId == municipalityId && c.Year == year)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, c => c.Last + 1), ct);
        if (updated != 1) return null;
        return await db.CaseNumberCounters.Where(c => c.MunicipalityId == municipalityId && c.Year == year)
            .Select(c => c.Last).SingleAsync(ct);
    }

    /// <summary>PostgreSQL: the counter's advisory lock, then the increment returning the new value — one round trip.</summary>
    private static async Task<int?> IncrementInTurnAsync(SspfDbContext db, Guid municipalityId, int year, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await using var batch = new Npgsql.NpgsqlBatch(connection, (Npgsql.NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction())
            {
                BatchCommands =
                {
                    new Npgsql.NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1) /* case-number counter */") { Parameters = { new Npgsql.NpgsqlParameter { Value = LockKey(municipalityId, year) } } },
                    new Npgsql.NpgsqlBatchCommand("""UPDATE "CaseNumberCounters" SET "Last" = "Last" + 1 WHERE "MunicipalityId" = $1 AND "Year" = $2 RETURNING "Last" """)
                    {
                        Parameters = { new Npgsql.NpgsqlParameter { Value = municipalityId }, new Npgsql.NpgsqlParameter { Value = year } },
                    },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            return await reader.ReadAsync(ct) ? reader.GetInt32(0) : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The advisory lock key of a municipality's counter for a year: the first 8 bytes of SHA-256 over "SSPN", the
    /// municipality and the year — stable across processes, apart from the access log's and the one-open-case keys.
    /// </summary>
    internal static long LockKey(Guid municipalityId, int year) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"SSPN|{municipalityId:N}|{year}")), 0);

    private static string Format(int year, int number) => $"SSPF-{year}-{number:D4}";
}
