using System.Globalization;
using SspfSamordning.Api.Features.Statistics;

namespace SspfSamordning.Api.Pages.Statistics;

/// <summary>The statistics page's Swedish names for the API's measures, dimensions and rows (the API keeps its English codes).</summary>
public static class StatisticsText
{
    private static readonly Dictionary<string, string> Measures = new()
    {
        [StatisticsQueries.CasesOpened] = "Öppnade ärenden",
        [StatisticsQueries.CasesClosed] = "Avslutade ärenden",
        [StatisticsQueries.CasesActiveAtEnd] = "Pågående ärenden vid periodens slut",
        [StatisticsQueries.ConsentOutcomes] = "Samtycken",
        [StatisticsQueries.MeetingsHeld] = "Genomförda SSPF-möten",
        [StatisticsQueries.InterventionsProposed] = "Föreslagna insatser",
        [StatisticsQueries.InterventionsCompleted] = "Avslutade insatser",
        [StatisticsQueries.FollowUpsDone] = "Genomförda uppföljningar",
        [StatisticsQueries.ConcernReportsReceived] = "Mottagna orosanmälningar",
        [StatisticsQueries.StatutoryDeadlines] = "Lagstadgade tidsfrister",
    };

    private static readonly Dictionary<string, string> Dimensions = new()
    {
        ["SignalCategory"] = "signalkategori", ["AgeBand"] = "ålder vid öppnandet", ["CloseReason"] = "avslutsorsak",
        ["Outcome"] = "utfall", ["Kind"] = "mötestyp", ["Type"] = "insatstyp", ["Party"] = "ansvarig part",
        ["Timeliness"] = "i tid eller sent", ["Deadline"] = "tidsfrist", ["Result"] = "resultat",
    };

    private static readonly Dictionary<string, string> Rows = new()
    {
        // Signal categories
        ["CriminalActivity"] = "Brottslighet", ["SubstanceUse"] = "Missbruk", ["ViolenceOrThreats"] = "Våld eller hot",
        ["CriminalNetworkRecruitment"] = "Rekrytering till kriminella nätverk", ["SchoolAbsence"] = "Skolfrånvaro",
        ["ConcernForWellbeing"] = "Oro för välmående", ["Other"] = "Annat",
        // Age bands
        ["Under15"] = "Under 15 år", ["Age15To17"] = "15–17 år", ["Age18Plus"] = "18 år och äldre", ["Unknown"] = "Okänd",
        // Close reasons
        ["GoalsReached"] = "Målen nådda", ["ConsentWithdrawn"] = "Samtycket återkallat", ["Moved"] = "Flyttat",
        ["AgeLimit"] = "Åldersgränsen nådd", ["HandedOver"] = "Överlämnat", ["NotRelevant"] = "Inte aktuellt",
        // Consent outcomes
        ["Valid"] = "Giltiga", ["Refused"] = "Nekade", ["Withdrawn"] = "Återkallade", ["Expired"] = "Utgångna",
        // Meetings
        ["Mapping"] = "Kartläggning", ["Network"] = "Nätverksmöte",
        // Interventions
        ["LeisureActivity"] = "Fritidsaktivitet", ["ContactPerson"] = "Kontaktperson", ["Mentor"] = "Mentor",
        ["ParentingSupport"] = "Föräldrastöd", ["SchoolSupport"] = "Stöd i skolan", ["MultisystemicTherapy"] = "MST",
        ["ExitProgramme"] = "Avhopparverksamhet",
        ["Skola"] = "Skola", ["Socialtjanst"] = "Socialtjänst", ["Polis"] = "Polis", ["Fritid"] = "Fritid", ["Region"] = "Region", ["Annan"] = "Annan",
        ["Achieved"] = "Uppnått", ["PartlyAchieved"] = "Delvis uppnått", ["NotAchieved"] = "Inte uppnått",
        // Follow-ups, concern reports, deadlines
        ["OnTime"] = "I tid", ["Late"] = "Sent",
        ["InvestigationOpened"] = "Utredning inledd", ["NoInvestigation"] = "Ingen utredning", ["Undecided"] = "Inte beslutat",
        ["ProtectionAssessment"] = "Skyddsbedömning", ["PreliminaryAssessment"] = "Förhandsbedömning", ["InvestigationDue"] = "Utredningstid",
        ["Met"] = "Hållna", ["Missed"] = "Missade",
    };

    public static string Measure(string code) => Measures.GetValueOrDefault(code, code);

    /// <summary>"Öppnade ärenden efter signalkategori", or the measure alone for a table of totals.</summary>
    public static string Title(GetStatistics.TableView table) =>
        Dimensions.TryGetValue(table.Dimension, out var by) ? $"{Measure(table.Measure)} efter {by}" : Measure(table.Measure);

    public static string Row(string code) => Rows.GetValueOrDefault(code, code);

    public static string Period(DateOnly from, DateOnly to) =>
        $"{from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} – {to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>A median in days for people: "12", "12,5", or why it is not shown.</summary>
    public static string Days(double? days) =>
        days is { } d ? d.ToString("0.#", CultureInfo.GetCultureInfo("sv-SE")) + " dagar" : "visas inte (färre än " + GetStatistics.MedianMinimum + " samtycken)";

    /// <summary>A share (0–1) as a percentage, or why it is not shown.</summary>
    public static string Percent(double? share) =>
        share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "visas inte (skyddat antal)";
}

/// <summary>
/// A horizontal bar chart of one table, laid out on the server for an inline SVG (attributes only: the
/// Content-Security-Policy allows no inline style). Each row has two bars: the period and the previous period. A
/// protected figure ("&lt;5") has no bar, only its text; the table under the chart has every figure.
/// </summary>
public sealed record StatisticsChart(int Width, int Height, IReadOnlyList<StatisticsChart.Bar> Bars)
{
    public const int LabelHeight = 20, BarHeight = 14, Gap = 14, BarsWidth = 420;

    public sealed record Bar(string Label, int LabelY, int PeriodY, int PeriodWidth, string PeriodText, int PreviousY, int PreviousWidth, string PreviousText);

    public static StatisticsChart Of(GetStatistics.TableView table)
    {
        // Totals are drawn only when the table has nothing else (its rows add up to them).
        var rows = table.Rows.Count > 1 ? table.Rows.Where(r => r.Row != SspfSamordning.Domain.Statistics.StatisticsReport.TotalLabel).ToList() : [.. table.Rows];
        var max = Math.Max(1, rows.SelectMany(r => new[] { r.Period.Count ?? 0, r.Previous.Count ?? 0 }).Max());
        int Length(long? count) => count is { } n && n > 0 ? Math.Max(1, (int)(n * BarsWidth / max)) : 0;
        var bars = new List<Bar>();
        var y = 0;
        foreach (var row in rows)
        {
            var labelY = y + LabelHeight - 5;
            var periodY = y + LabelHeight;
            var previousY = periodY + BarHeight + 2;
            bars.Add(new Bar(StatisticsText.Row(row.Row), labelY, periodY, Length(row.Period.Count), row.Period.Display,
                previousY, Length(row.Previous.Count), row.Previous.Display));
            y = previousY + BarHeight + Gap;
        }
        return new StatisticsChart(BarsWidth + 80, Math.Max(y, 1), bars);
    }
}
