using System.Globalization;
using System.Security.Claims;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Statistics;

namespace SspfSamordning.Api.Features.Statistics;

/// <summary>
/// GET /api/statistics?municipalityId=&amp;from=&amp;to=&amp;breakdown=&amp;format= (Analytiker, Samordnare; own municipalities):
/// the medborgarlöfte follow-up figures of one municipality for whole months (default: the calendar year), with quarters or months as a
/// breakdown and the previous period beside them, small-number protected (docs/statistics.md). JSON, or CSV for Excel.
/// No id, name or date of a single case is in the answer; the access log records who asked for which municipality and
/// period, never the figures.
/// </summary>
public static class GetStatistics
{
    public const string AuditEntity = "Statistics";
    public const int MaxYears = 5;
    /// <summary>No period starts before this year (the comparison period before it must still be a date).</summary>
    public const int EarliestYear = 2000;
    /// <summary>A median is published only over at least this many values (a median of a few is one person's value).</summary>
    public const int MedianMinimum = 10;
    public const string ConsentDaysToValid = "ConsentDaysToValid";

    public sealed record FigureView(long? Count, string Display);
    public sealed record RowView(string Row, FigureView Period, IReadOnlyList<FigureView> Slices, FigureView Previous);
    public sealed record TableView(string Measure, string Dimension, IReadOnlyList<RowView> Rows);
    /// <summary>A share (0–1) computed only from shown counts; null when a count it needs is protected.</summary>
    public sealed record ShareView(string Measure, double? Period, double? Previous);
    /// <summary>A median in days; null when fewer than <see cref="MedianMinimum"/> values lie behind it.</summary>
    public sealed record MedianView(string Measure, double? Period, double? Previous);
    public sealed record StatisticsView(
        Guid MunicipalityId, DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, string Breakdown, bool TotalsOnly,
        DateOnly CountedBefore, IReadOnlyList<string> Slices, IReadOnlyList<TableView> Tables, IReadOnlyList<ShareView> Shares,
        IReadOnlyList<MedianView> Medians);

    /// <summary>A municipality the caller may ask about, for the page's choice (<see cref="MunicipalitiesOfAsync"/>).</summary>
    public sealed record MunicipalityOption(Guid Id, string Name);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/statistics", Handle).RequireAuthorization(Policies.Statistics)
            // Over the cap on concurrent statistics requests (Infrastructure/Http/RateLimits.cs, StatisticsRequests).
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>The caller's own municipalities by name: the only ones <see cref="Handle"/> answers for.</summary>
    public static async Task<List<MunicipalityOption>> MunicipalitiesOfAsync(SspfDbContext db, ClaimsPrincipal principal, CancellationToken ct)
    {
        var mine = principal.Municipalities();
        return await db.Municipalities.AsNoTracking().Where(m => mine.Contains(m.Id)).OrderBy(m => m.Name)
            .Select(m => new MunicipalityOption(m.Id, m.Name)).ToListAsync(ct);
    }

    /// <summary>The one use case behind both doors: the API's GET /api/statistics and the page /statistik (Pages/Statistics).</summary>
    public static async Task<Results<Ok<StatisticsView>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Handle(
        SspfDbContext db, ClaimsPrincipal principal, TimeProvider time, IAuditContext audit, AuditLog log, HttpContext http, CancellationToken ct,
        string? municipalityId = null, string? from = null, string? to = null, string? breakdown = null, string? format = null)
    {
        var now = time.GetUtcNow();
        var mine = principal.Municipalities();
        if (Validate(mine, municipalityId, from, to, breakdown, format, SwedishCalendar.DateOf(now), out var parsed) is { } invalid) return invalid;
        var p = parsed!;
        // An expensive request: a few at once per person and per process (RateLimits.cs), the rest refused before any query.
        using var lease = http.RequestServices.GetRequiredService<StatisticsRequests>().TryEnter(principal.UserId());
        if (!lease.IsAcquired) return StatisticsRequests.TooMany(http);

        if (!mine.Contains(p.MunicipalityId) || !await db.Municipalities.AnyAsync(m => m.Id == p.MunicipalityId, ct))
        {
            await log.AppendAsync(audit.NewEvent(AuditAction.Refused, AuditDecision.Refused, entityType: AuditEntity, entityId: p.MunicipalityId), ct);
            return Problems.NotFound();
        }

        var today = SwedishCalendar.DateOf(now);
        var cutoffMonth = new YearMonth(today.Year, today.Month);
        var cutoff = StatisticsQueries.StartOf(cutoffMonth);
        var (fromMonth, toMonth) = (new YearMonth(p.From.Year, p.From.Month), new YearMonth(p.To.Year, p.To.Month));
        var firstYear = fromMonth.Plus(-(toMonth.Index - fromMonth.Index + 1)).Year; // the previous period's first year
        var previousFrom = fromMonth.Plus(-(toMonth.Index - fromMonth.Index + 1));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // The stock of open cases is protected year after year from the municipality's first year (StatisticsGrid).
        var stockFrom = Math.Min(await StatisticsQueries.FirstYearAsync(db, p.MunicipalityId, ct) ?? firstYear, firstYear);
        var counts = StatisticsQueries.NewCounts();
        List<StatisticsQueries.DayCount> days = [];
        var totalsOnly = false;
        var end = StatisticsQueries.StartOf(toMonth.Plus(1));
        // Every grouped query at once (StatisticsQueries.RunAsync), the heaviest first: the consent days join three tables.
        await StatisticsQueries.RunAsync(db, http.RequestServices,
        [
            async (d, c) => days = await StatisticsQueries.ConsentDaysAsync(d, p.MunicipalityId, StatisticsQueries.StartOf(previousFrom),
                StatisticsQueries.StartOf(fromMonth), end < cutoff ? end : cutoff, c),
            .. StatisticsQueries.CountQueries(p.MunicipalityId, new YearMonth(stockFrom, 1), toMonth, cutoff, counts),
            async (d, c) => totalsOnly = await StatisticsQueries.FewCasesAsync(d, p.MunicipalityId, StatisticsQueries.StartOf(fromMonth), end, c),
        ], ct);
        var counted = watch.Elapsed;
        var grids = StatisticsQueries.Groups.Select(g => new StatisticsGrid(g, counts[g.Name], firstYear, p.To.Year, stockFrom)).ToList();
        var report = StatisticsReport.Compose(grids, fromMonth, toMonth, p.Breakdown, totalsOnly);
        var protectedIn = watch.Elapsed - counted;
        double? MedianOf(int current) => StatisticsQueries.Median(days.Where(d => d.Current == current).Select(d => (d.Days, d.Count)), MedianMinimum);
        var medians = new[] { new MedianView(ConsentDaysToValid, MedianOf(1), MedianOf(0)) };
        // Where the time goes (bench/results/statistics.md): the database's grouped queries and the protection.
        http.Response.Headers["Server-Timing"] = FormattableString.Invariant(
            $"db;dur={counted.TotalMilliseconds:0.0}, protect;dur={protectedIn.TotalMilliseconds:0.0}");

        // Who asked for which municipality and period: never the figures.
        await log.AppendAsync(audit.NewEvent(AuditAction.Read, entityType: AuditEntity, entityId: p.MunicipalityId,
            purpose: $"{p.From:yyyy-MM-dd}..{p.To:yyyy-MM-dd} breakdown={p.Breakdown} format={(p.Csv ? "csv" : "json")}"), ct);

        var view = View(p.MunicipalityId, report, cutoffMonth, medians);
        return p.Csv
            ? TypedResults.File(Csv(view), "text/csv; charset=utf-8", $"statistik-{p.From:yyyy-MM}-{p.To:yyyy-MM}.csv")
            : TypedResults.Ok(view);
    }

    private sealed record Parsed(Guid MunicipalityId, DateOnly From, DateOnly To, Breakdown Breakdown, bool Csv);

    /// <summary>Every rule of the query string, with a Swedish message naming the parameter; null when the request is good.</summary>
    private static ValidationProblem? Validate(
        IReadOnlyList<Guid> mine, string? municipalityId, string? from, string? to, string? breakdown, string? format, DateOnly today, out Parsed? parsed)
    {
        parsed = null;
        Guid municipality;
        if (string.IsNullOrWhiteSpace(municipalityId))
        {
            if (mine.Count != 1) return Problems.Validation("municipalityId", "Välj kommun (municipalityId): du har behörighet i flera kommuner.");
            municipality = mine[0];
        }
        else if (!Guid.TryParse(municipalityId, out municipality))
        {
            return Problems.Validation("municipalityId", "Kommunen (municipalityId) ska vara ett kommun-id (GUID).");
        }

        DateOnly? fromDate = null, toDate = null;
        if (from is not null)
        {
            if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f))
                return Problems.Validation("from", "Från (from) ska vara ett datum på formen ÅÅÅÅ-MM-DD, till exempel 2026-01-01.");
            fromDate = f;
        }
        if (to is not null)
        {
            if (!DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
                return Problems.Validation("to", "Till (to) ska vara ett datum på formen ÅÅÅÅ-MM-DD, till exempel 2026-12-31.");
            toDate = t;
        }
        var start = fromDate ?? new DateOnly((toDate ?? today).Year, 1, 1);
        var end = toDate ?? new DateOnly(start.Year, 12, 31);
        if (end < start) return Problems.Validation("to", "Till (to) får inte vara före från (from).");
        if (start.Year < EarliestYear) return Problems.Validation("from", $"Från (from) kan inte ligga före år {EarliestYear}.");
        // Before the whole-month checks: the last day of year 9999 has no next day to check against.
        if (end.Year > today.Year) return Problems.Validation("to", "Till (to) kan inte ligga efter innevarande år.");
        // Whole months: every figure is then a grid cell or a sum of shown grid cells (docs/statistics.md). A period
        // shorter than a month, or one cut inside a month, would publish a count the grid never audited.
        if (start.Day != 1)
            return Problems.Validation("from", "Perioden består av hela månader: från (from) ska vara den första dagen i en månad. Kortare perioder än en månad ges inte ut.");
        if (end.AddDays(1).Day != 1)
            return Problems.Validation("to", "Perioden består av hela månader: till (to) ska vara den sista dagen i en månad. Kortare perioder än en månad ges inte ut.");
        if ((end.Year - start.Year) * 12 + end.Month - start.Month + 1 > MaxYears * 12) return Problems.Validation("to", $"Perioden från (from) till (to) får vara högst {MaxYears} år.");

        Breakdown split;
        switch (breakdown?.ToLowerInvariant())
        {
            case null or "" or "none": split = Breakdown.None; break;
            case "quarter": split = Breakdown.Quarter; break;
            case "month": split = Breakdown.Month; break;
            default: return Problems.Validation("breakdown", "Okänd uppdelning (breakdown): välj kvartal (quarter), månad (month) eller ingen.");
        }
        bool csv;
        switch (format?.ToLowerInvariant())
        {
            case null or "" or "json": csv = false; break;
            case "csv": csv = true; break;
            default: return Problems.Validation("format", "Okänt format (format): json eller csv.");
        }
        parsed = new Parsed(municipality, start, end, split, csv);
        return null;
    }

    private static StatisticsView View(Guid municipalityId, StatisticsReport report, YearMonth cutoff, IReadOnlyList<MedianView> medians)
    {
        static FigureView Figure(Figure f) => new(f.Count, f.Display);
        var tables = report.Tables.Select(t => new TableView(t.Population, t.DimensionName,
            [.. t.Rows.Select(r => new RowView(r.Label, Figure(r.Period), [.. r.Slices.Select(Figure)], Figure(r.Previous)))])).ToList();
        var shares = new List<ShareView>();
        void Share(string measure, string dimension, string part, string other)
        {
            var table = report.Tables.FirstOrDefault(t => t.Population == measure && t.DimensionName == dimension);
            if (table is null) return;
            var (a, b) = (table.Rows.Single(r => r.Label == part), table.Rows.Single(r => r.Label == other));
            static double? Ratio(Figure x, Figure y) => x.Count is { } n && y.Count is { } m && n + m > 0 ? Math.Round((double)n / (n + m), 3) : null;
            shares.Add(new ShareView($"{measure}.{part}", Ratio(a.Period, b.Period), Ratio(a.Previous, b.Previous)));
        }
        Share(StatisticsQueries.FollowUpsDone, "Timeliness", "OnTime", "Late");
        Share(StatisticsQueries.StatutoryDeadlines, "Result", "Met", "Missed");
        return new StatisticsView(municipalityId, Date(report.From), EndDate(report.To), Date(report.PreviousFrom), EndDate(report.PreviousTo),
            report.Breakdown.ToString(), report.TotalsOnly, Date(cutoff), [.. report.Slices.Select(s => s.Label)], tables, shares, medians);
    }

    private static DateOnly Date(YearMonth m) => new(m.Year, m.Month, 1);
    private static DateOnly EndDate(YearMonth m) => Date(m.Plus(1)).AddDays(-1);

    private static string Days(double? days) => days?.ToString(CultureInfo.InvariantCulture) ?? "X";

    /// <summary>One line per row of every table: UTF-8 with BOM and ';' between fields, as Excel in Sweden opens it.</summary>
    private static byte[] Csv(StatisticsView view)
    {
        using var stream = new MemoryStream();
        var options = new CsvWriterOptions { Separator = ';', WriteByteOrderMark = true, Injection = CsvInjection.Escape };
        using (var csv = CsvWriter.Create(stream, options, leaveOpen: true))
        {
            foreach (var header in new[] { "Mått", "Uppdelning", "Rad", $"{view.From:yyyy-MM-dd}–{view.To:yyyy-MM-dd}" }
                         .Concat(view.Slices).Append($"Föregående period {view.PreviousFrom:yyyy-MM-dd}–{view.PreviousTo:yyyy-MM-dd}"))
                csv.WriteField(header);
            csv.EndRecord();
            foreach (var table in view.Tables)
            {
                foreach (var row in table.Rows)
                {
                    csv.WriteField(table.Measure);
                    csv.WriteField(table.Dimension);
                    csv.WriteField(row.Row);
                    csv.WriteField(row.Period.Display);
                    foreach (var slice in row.Slices) csv.WriteField(slice.Display);
                    csv.WriteField(row.Previous.Display);
                    csv.EndRecord();
                }
            }
            foreach (var median in view.Medians)
            {
                csv.WriteField(median.Measure);
                csv.WriteField("Median (dagar)");
                csv.WriteField(StatisticsReport.TotalLabel);
                csv.WriteField(Days(median.Period));
                foreach (var _ in view.Slices) csv.WriteField("");
                csv.WriteField(Days(median.Previous));
                csv.EndRecord();
            }
        }
        return stream.ToArray();
    }
}
