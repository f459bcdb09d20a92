using Microsoft.EntityFrameworkCore;
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
public static class CaseNumbers
{
    public static async Task<string> NextAsync(SspfDbContext db, Guid municipalityId, int year, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.CaseNumberCounters.Where(c => c.MunicipalityId == municipalityId && c.Year == year)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, c => c.Last + 1), ct);
            if (updated == 1)
            {
                var last = await db.CaseNumberCounters.Where(c => c.MunicipalityId == municipalityId && c.Year == year)
                    .Select(c => c.Last).SingleAsync(ct);
                return Format(year, last);
            }
            // The year's first case: create the counter. When another opening creates it at the same moment, this insert
            // waits for that one's transaction and then does nothing (never a unique violation, which on PostgreSQL would
            // also abort this transaction; SqlDialect.InsertCaseNumberCounter); the next round increments the counter it created.
            var inserted = await db.Database.ExecuteSqlRawAsync(SqlDialect.Of(db.Database).InsertCaseNumberCounter, [municipalityId, year], ct);
            if (inserted == 1) return Format(year, 1);
            if (attempt > 0)
                throw new InvalidOperationException($"The case-number counter of municipality {municipalityId} for {year} could be neither incremented nor created.");
        }
    }

    private static string Format(int year, int number) => $"SSPF-{year}-{number:D4}";
}
