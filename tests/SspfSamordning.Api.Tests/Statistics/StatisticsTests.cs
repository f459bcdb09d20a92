using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SspfSamordning.Api.Features.Statistics;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Tests.Audit;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Web;
using SspfSamordning.Domain.Statistics;
using WebClient = SspfSamordning.Api.Tests.Web.WebClient;

namespace SspfSamordning.Api.Tests.Statistics;

/// <summary>
/// GET /api/statistics (issue 20) through the real pipeline: who may ask, for which municipality, what bad input answers,
/// what the figures are and how they are protected, that no case leaves, that the access log records the query and not
/// its numbers, and that the figures are computed by GROUP BY queries in the database.
/// </summary>
public sealed class StatisticsTests : AuditLogHarness
{
    private const string Year2026 = "from=2026-01-01&to=2026-12-31";

    /// <summary>Opens cases with the given signal categories in Falkenberg (now: November 2026), then moves to January 2027.</summary>
    private async Task OpenCasesThenMoveToNextYearAsync(params string[] categories)
    {
        var coordinator = await Scenario.As("samordnare");
        var municipalityId = await Scenario.MunicipalityIdAsync();
        foreach (var category in categories)
        {
            var response = await coordinator.Http.PostAsJsonAsync("/api/cases", new
            {
                municipalityId,
                youth = new { personnummer = TestPersonnummer.AgedOn(15, Factory.Clock.GetUtcNow()), givenName = "Kim", familyName = "Testsson" },
                guardians = new[] { new { givenName = "Anna", familyName = "Testsson", hasCustody = true } },
                signalCategory = category,
                proposedParties = new[] { "Skola" },
            });
            await response.EnsureStatusAsync(HttpStatusCode.Created);
        }
        Factory.Clock.Set(new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero));
        await Scenario.RenewSessionsAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(string query, string who = "analytiker", string municipality = "falkenberg") =>
        await (await Scenario.As(who, municipality)).Http.GetAsync($"/api/statistics?{query}");

    private static JsonElement Table(JsonElement body, string measure, string dimension) =>
        body.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("measure").GetString() == measure && t.GetProperty("dimension").GetString() == dimension);

    private static JsonElement Row(JsonElement table, string row) =>
        table.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("row").GetString() == row);

    private static string Display(JsonElement figure) => figure.GetProperty("display").GetString()!;

    [Theory]
    [InlineData("socialsekreterare")]
    [InlineData("polis")]
    [InlineData("skola")]
    [InlineData("fritid")]
    [InlineData("granskare")]
    [InlineData("admin")]
    public async Task OtherRoles_AreRefused403(string who)
    {
        using var response = await GetAsync(Year2026, who);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnotherMunicipality_OrAnUnknownOne_Answers404_AndIsLoggedAsRefused()
    {
        var falkoping = await Scenario.MunicipalityIdAsync("falkoping");
        using var theirs = await GetAsync($"municipalityId={falkoping}&{Year2026}");
        using var unknown = await GetAsync($"municipalityId={Guid.NewGuid()}&{Year2026}", "samordnare");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // Falköping's own coordinator may.
        using var own = await GetAsync($"municipalityId={falkoping}&{Year2026}", "samordnare", "falkoping");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        var refused = (await EventsAsync()).Where(e => e.GetProperty("entityType").GetString() == "Statistics" && Action(e) == "Refused").ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains(refused, e => e.GetProperty("entityId").GetGuid() == falkoping);
    }

    [Theory]
    [InlineData("from=2026-12-31&to=2026-01-01", "to")]
    [InlineData("from=2020-01-01&to=2025-12-31", "to")]
    [InlineData("from=2026-01-01&to=2026-12-31&breakdown=week", "breakdown")]
    [InlineData("from=2026-03-01&to=2026-03-15", "to")]
    [InlineData("from=2026-03-10&to=2026-03-31", "from")]
    [InlineData("from=2021-12-01&to=2026-12-31", "to")]
    [InlineData("from=2026-01-01&to=2027-12-31", "to")]
    [InlineData("from=igår", "from")]
    [InlineData("to=9999-12-31", "to")]
    [InlineData("from=0001-01-01&to=0001-12-31", "from")]
    [InlineData("municipalityId=falkenberg", "municipalityId")]
    [InlineData("format=xlsx", "format")]
    public async Task BadInput_Answers400_WithASwedishMessageNamingTheParameter(string query, string parameter)
    {
        using var response = await GetAsync(query);
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        var message = Assert.Single(errors.GetProperty(parameter).EnumerateArray()).GetString()!;
        Assert.Contains(parameter, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Figures_AreCountedPerCategoryAndQuarter_SmallOnesAreProtected_AndNoCaseLeaves()
    {
        await OpenCasesThenMoveToNextYearAsync([.. Enumerable.Repeat("CriminalActivity", 6), "SubstanceUse", "SubstanceUse", "SchoolAbsence"]);

        using var response = await GetAsync($"{Year2026}&breakdown=quarter");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonDocument.Parse(text).RootElement;

        Assert.False(body.GetProperty("totalsOnly").GetBoolean());
        Assert.Equal(["2026-K1", "2026-K2", "2026-K3", "2026-K4"], body.GetProperty("slices").EnumerateArray().Select(s => s.GetString()));
        var opened = Table(body, "CasesOpened", "SignalCategory");
        var total = Row(opened, "Totalt");
        Assert.Equal(9, total.GetProperty("period").GetProperty("count").GetInt64());
        Assert.Equal("0", Display(total.GetProperty("previous")));
        Assert.Equal(["0", "0", "0", "9"], total.GetProperty("slices").EnumerateArray().Select(Display));
        // 6 is shown; 2 and 1 are "<5"; and 6 itself must not stay exact next to the total 9 (9 − 6 = 3 = 2 + 1 is fine,
        // but 2 and 1 alone must not be computable): "<5" + "<5" cannot be split by subtraction.
        Assert.Equal("<5", Display(Row(opened, "SubstanceUse").GetProperty("period")));
        Assert.Equal("<5", Display(Row(opened, "SchoolAbsence").GetProperty("period")));
        Assert.Equal("0", Display(Row(opened, "Other").GetProperty("period")));
        Assert.True(Row(opened, "SubstanceUse").GetProperty("period").GetProperty("count").ValueKind == JsonValueKind.Null);
        // Every "<5" cell of this answer stays unknown: no line of the table lets it be computed.
        var shown = opened.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("row").GetString() != "Totalt")
            .Select(r => r.GetProperty("period")).Where(f => f.GetProperty("count").ValueKind != JsonValueKind.Null).Sum(f => f.GetProperty("count").GetInt64());
        var hidden = opened.GetProperty("rows").EnumerateArray().Count(r => r.GetProperty("period").GetProperty("count").ValueKind == JsonValueKind.Null);
        Assert.True(hidden >= 2, "a single suppressed cell would be the total minus the others");
        Assert.True(9 - shown is not (2 or 8), "two '<5' that leave 2 or 8 are pinned at 1 or 4");

        // No id, case number or date of a case: only the municipality, the period's own dates and counts.
        var caseIds = (await (await Scenario.As("samordnare")).Http.GetFromJsonAsync<JsonElement>("/api/cases?pageSize=100"))
            .GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Equal(9, caseIds.Count);
        Assert.DoesNotContain(caseIds, id => text.Contains(id, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("SSPF-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-23", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FewerThanFiveCases_AnswerOnlyTotals()
    {
        await OpenCasesThenMoveToNextYearAsync("CriminalActivity", "SubstanceUse", "SchoolAbsence");

        using var response = await GetAsync($"{Year2026}&breakdown=month");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();

        Assert.True(body.GetProperty("totalsOnly").GetBoolean());
        Assert.Empty(body.GetProperty("slices").EnumerateArray());
        Assert.All(body.GetProperty("tables").EnumerateArray(), t => Assert.Equal("Totalt", Assert.Single(t.GetProperty("rows").EnumerateArray()).GetProperty("row").GetString()));
        Assert.Equal("<5", Display(Row(Table(body, "CasesOpened", "Totalt"), "Totalt").GetProperty("period")));
    }

    /// <summary>A case declined before the period is not one of its cases: five declined in 2026 leave 2027 with one case, totals only.</summary>
    [Fact]
    public async Task CasesDeclinedBeforeThePeriod_DoNotCountAsItsCases()
    {
        for (var i = 0; i < 5; i++)
        {
            var caseId = await Scenario.OpenCaseAsync();
            var consent = await Scenario.RequestConsentAsync(caseId);
            await (await Scenario.AnswerAsync(caseId, consent, "Guardian", (await Scenario.GuardianIdsAsync(caseId))[0], given: false))
                .EnsureStatusAsync(HttpStatusCode.OK);
            Assert.Equal("Declined", await Scenario.CaseStateAsync(caseId));
        }
        await OpenCasesThenMoveToNextYearAsync();
        Factory.Clock.Set(new DateTimeOffset(2027, 2, 10, 9, 0, 0, TimeSpan.Zero));
        await Scenario.RenewSessionsAsync();
        await Scenario.OpenCaseAsync();
        Factory.Clock.Set(new DateTimeOffset(2028, 1, 10, 9, 0, 0, TimeSpan.Zero));
        await Scenario.RenewSessionsAsync();

        using var response = await GetAsync("from=2027-01-01&to=2027-12-31&breakdown=month");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();

        Assert.True(body.GetProperty("totalsOnly").GetBoolean());
        // The year they were declined in still has five cases: its breakdown is answered.
        using var declinedYear = await GetAsync($"{Year2026}&breakdown=month");
        Assert.False((await declinedYear.JsonAsync()).GetProperty("totalsOnly").GetBoolean());
    }

    [Fact]
    public async Task Csv_IsUtf8WithBom_SemicolonSeparated_WithSwedishHeaders_AndTheSameFigures()
    {
        await OpenCasesThenMoveToNextYearAsync([.. Enumerable.Repeat("CriminalActivity", 6)]);

        using var response = await GetAsync($"{Year2026}&format=csv");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("Mått;Uppdelning;Rad;2026-01-01–2026-12-31;Föregående period", lines[0], StringComparison.Ordinal);
        Assert.Contains("CasesOpened;SignalCategory;CriminalActivity;6;0", lines);
        Assert.Contains("CasesOpened;SignalCategory;Totalt;6;0", lines);
    }

    [Fact]
    public async Task EachQuery_IsLogged_WithWhoMunicipalityAndPeriod_NotItsFigures()
    {
        await OpenCasesThenMoveToNextYearAsync([.. Enumerable.Repeat("CriminalActivity", 7)]);
        var municipalityId = await Scenario.MunicipalityIdAsync();
        var analyst = await Scenario.UserIdAsync("analytiker");

        using var response = await GetAsync($"{Year2026}&breakdown=month");
        await response.EnsureStatusAsync(HttpStatusCode.OK);

        var logged = Assert.Single(await EventsAsync(), e => e.GetProperty("entityType").GetString() == "Statistics");
        Assert.Equal("Read", Action(logged));
        Assert.Equal(analyst, logged.GetProperty("actorUserId").GetGuid());
        Assert.Equal(municipalityId, logged.GetProperty("entityId").GetGuid());
        Assert.Equal("2026-01-01..2026-12-31 breakdown=Month format=json", logged.GetProperty("purpose").GetString());
        Assert.Equal(JsonValueKind.Null, logged.GetProperty("caseId").ValueKind);
        Assert.Equal("", logged.GetProperty("categories").GetString());
    }

    [Fact]
    public async Task Figures_AreComputedByGroupByQueries_ReadingNoEncryptedColumn()
    {
        Factory.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        await OpenCasesThenMoveToNextYearAsync([.. Enumerable.Repeat("CriminalActivity", 5)]);
        await Scenario.As("analytiker");
        var before = Factory.Logs.Lines.Count;

        using var response = await GetAsync($"{Year2026}&breakdown=quarter");
        await response.EnsureStatusAsync(HttpStatusCode.OK);

        var commands = Factory.Logs.Lines.Skip(before).Where(l => l.Contains("Executed DbCommand", StringComparison.Ordinal)).ToList();
        // COUNT(*) on SQLite, count(*)::int on PostgreSQL.
        var statistics = commands.Where(c => c.Contains("count(*)", StringComparison.OrdinalIgnoreCase)).ToList();
        // One grouped query per population (nine), and the count of cases in the period.
        Assert.True(statistics.Count(c => c.Contains("GROUP BY", StringComparison.Ordinal)) >= 9, string.Join("\n", commands));
        Assert.DoesNotContain(commands, c => c.Contains("Youth", StringComparison.Ordinal) || c.Contains("Content", StringComparison.Ordinal)
            || c.Contains("Minutes", StringComparison.Ordinal) || c.Contains("\"Reason\"", StringComparison.Ordinal));
        // Side by side on PostgreSQL (StatisticsQueries.RunAsync): on at most Connections connections of their own, each
        // in a read-only transaction planned for the actual values; on SQLite one after the other, no such transaction.
        var custom = commands.Count(c => c.Contains("SET TRANSACTION READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan", StringComparison.Ordinal));
        if (Factory.Provider == "Postgres") Assert.InRange(custom, 1, SspfSamordning.Api.Features.Statistics.StatisticsQueries.Connections);
        else Assert.Equal(0, custom);
    }

    [Fact]
    public async Task HistoryQueries_CountReopenedDeclinedAndConsentDays_OfTheMunicipalitysOwnCasesOnly()
    {
        // Falkenberg: a case closed and reopened, a case declined (its consent refused), a case with a valid consent.
        var (reopened, declined, valid) = (await Scenario.OpenCaseAsync(), await Scenario.OpenCaseAsync(), await Scenario.OpenCaseAsync());
        var coordinator = await Scenario.As("samordnare");
        async Task TransitionAsync(HttpClient http, Guid caseId, object body) =>
            await (await http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", body)).EnsureStatusAsync(HttpStatusCode.OK);
        await TransitionAsync(coordinator.Http, reopened, new { trigger = "Close", closeReason = "NotRelevant" });
        await TransitionAsync(coordinator.Http, reopened, new { trigger = "Reopen" });
        var refused = await Scenario.RequestConsentAsync(declined);
        await (await Scenario.AnswerAsync(declined, refused, "Guardian", (await Scenario.GuardianIdsAsync(declined))[0], given: false))
            .EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Declined", await Scenario.CaseStateAsync(declined));
        await Scenario.GiveValidConsentAsync(valid);
        // Falköping: the same flows (a valid consent, a close and a reopening), which Falkenberg's figures must not contain.
        var theirs = await Scenario.OpenCaseAsync(age: 18, municipality: "falkoping");
        var theirCoordinator = (await Scenario.As("samordnare", "falkoping")).Http;
        using var requested = await theirCoordinator.PostAsJsonAsync($"/api/cases/{theirs}/consents", new { parties = ConsentSteps.AllParties, categories = new[] { "Basic" } });
        await requested.EnsureStatusAsync(HttpStatusCode.Created);
        var theirConsent = (await requested.JsonAsync()).GetProperty("id").GetGuid();
        await (await theirCoordinator.PostAsJsonAsync($"/api/cases/{theirs}/consents/{theirConsent}/answers",
            new { signatory = "Youth", given = true, form = "Written", documentRef = "Blankett 2026-17", obtainedBy = "Socialtjanst" })).EnsureStatusAsync(HttpStatusCode.OK);
        await TransitionAsync(theirCoordinator, theirs, new { trigger = "Close", closeReason = "NotRelevant" });
        await TransitionAsync(theirCoordinator, theirs, new { trigger = "Reopen" });

        // The queries themselves, as the endpoint runs them (side by side on a server database), for Falkenberg's 2026.
        var falkenberg = await Scenario.MunicipalityIdAsync();
        var (first, last) = (new YearMonth(2026, 1), new YearMonth(2026, 12));
        var (start, end) = (StatisticsQueries.StartOf(first), StatisticsQueries.StartOf(last.Plus(1)));
        var counts = StatisticsQueries.NewCounts();
        List<StatisticsQueries.DayCount> days = [];
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            await StatisticsQueries.RunAsync(scope.ServiceProvider.GetRequiredService<SspfDbContext>(), scope.ServiceProvider,
            [
                async (db, ct) => days = await StatisticsQueries.ConsentDaysAsync(db, falkenberg, start, start, end, ct),
                .. StatisticsQueries.CountQueries(falkenberg, first, last, end, counts),
            ], CancellationToken.None);
        }
        long Sum(string group, string population, int? joint = null) =>
            counts[group].Flows.TryGetValue(population, out var flows) ? flows.Where(f => joint is null || f.Key.Joint == joint).Sum(f => f.Value) : 0;
        Assert.Equal(3, Sum("Cases", StatisticsQueries.CasesOpened));
        Assert.Equal(1, Sum("Cases", StatisticsQueries.CasesClosed));
        Assert.Equal(1, Sum("Cases", StatisticsQueries.CasesReopened));
        Assert.Equal(1, Sum("Cases", StatisticsQueries.CasesDeclined));
        Assert.Equal(1, Sum("Consents", StatisticsQueries.ConsentOutcomes, joint: 0)); // Valid
        Assert.Equal(1, Sum("Consents", StatisticsQueries.ConsentOutcomes, joint: 1)); // Refused
        Assert.Equal(2, Sum("Consents", StatisticsQueries.ConsentOutcomes));
        // Falkenberg's one consent became valid on the day it was requested; Falköping's is not among the days.
        Assert.Equal(new StatisticsQueries.DayCount(1, 0, 1), Assert.Single(days));
    }

    [Fact]
    public async Task RequestsOverTheConcurrencyCap_Answer429InSwedish_AndAreNotLogged()
    {
        var gate = Factory.Services.GetRequiredService<StatisticsRequests>();
        var analyst = await Scenario.UserIdAsync("analytiker");
        var coordinator = await Scenario.UserIdAsync("samordnare");
        var web = await WebAsync("samordnare");
        // A lease held here is a request still running (GetStatistics.Handle holds one while it counts).
        using (var running = gate.TryEnter(analyst))
        {
            Assert.True(running.IsAcquired);
            // The analyst's second request at once (RateLimiting:StatisticsPerUser = 1) is refused before any query ...
            using var second = await GetAsync(Year2026);
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), second.Headers.RetryAfter?.Delta);
            var problem = await second.JsonAsync();
            Assert.Equal("TooManyStatisticsRequests", problem.GetProperty("code").GetString());
            Assert.Equal("Statistiken tar emot för många frågor just nu", problem.GetProperty("title").GetString());
            // ... another person's is served (RateLimiting:StatisticsPerProcess = 2) ...
            using var theirs = await GetAsync(Year2026, "samordnare");
            Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
            // ... until two run in the process: then everyone's is refused, the page's too.
            using (var another = gate.TryEnter(Guid.NewGuid()))
            {
                Assert.True(another.IsAcquired);
                using var full = await GetAsync(Year2026, "samordnare");
                Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
                var (page, _) = await web.GetAsync("/statistik?From=2026-01-01&To=2026-12-31");
                Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
            }
        }
        // Every served request gave its lease back: the analyst twice in a row.
        foreach (var _ in new[] { 1, 2 })
        {
            using var again = await GetAsync(Year2026);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        // The access log has the three served requests and nothing of the four refused ones.
        var logged = (await EventsAsync()).Where(e => e.GetProperty("entityType").GetString() == "Statistics").ToList();
        Assert.Equal(["Read", "Read", "Read"], logged.Select(Action));
        // As a multiset: different accounts' events lie in different stripes of the log, which have no order among
        // themselves but time (and the test clock stands still).
        Assert.Equal(new[] { coordinator, analyst, analyst }.Order(), logged.Select(e => e.GetProperty("actorUserId").GetGuid()).Order());
    }

    private static JsonElement Median(JsonElement body) =>
        Assert.Single(body.GetProperty("medians").EnumerateArray(), m => m.GetProperty("measure").GetString() == "ConsentDaysToValid");

    [Fact]
    public async Task ActiveAtPeriodEnd_AndMedianDaysFromConsentRequestToValid_ComeFromTheHistory()
    {
        // Eleven cases opened in November 2026; ten consents requested at once and given after 0, 2 and 7 days.
        var cases = new List<Guid>();
        for (var i = 0; i < 11; i++) cases.Add(await Scenario.OpenCaseAsync());
        var consents = new List<Guid>();
        foreach (var caseId in cases.Take(10)) consents.Add(await Scenario.RequestConsentAsync(caseId));
        async Task GiveAsync(int index)
        {
            foreach (var guardianId in await Scenario.GuardianIdsAsync(cases[index]))
                await (await Scenario.AnswerAsync(cases[index], consents[index], "Guardian", guardianId)).EnsureStatusAsync(HttpStatusCode.OK);
        }
        for (var i = 0; i < 3; i++) await GiveAsync(i);
        Factory.Clock.Advance(TimeSpan.FromDays(2));
        await Scenario.RenewSessionsAsync();
        for (var i = 3; i < 7; i++) await GiveAsync(i);
        Factory.Clock.Advance(TimeSpan.FromDays(5));
        await Scenario.RenewSessionsAsync();
        for (var i = 7; i < 10; i++) await GiveAsync(i);
        Factory.Clock.Set(new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero));
        await Scenario.RenewSessionsAsync();

        using var response = await GetAsync($"{Year2026}&breakdown=quarter");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        var active = Row(Table(body, "CasesActiveAtEnd", "Totalt"), "Totalt");
        Assert.Equal(11, active.GetProperty("period").GetProperty("count").GetInt64());
        Assert.Equal(["0", "0", "0", "11"], active.GetProperty("slices").EnumerateArray().Select(Display));
        Assert.Equal("0", Display(active.GetProperty("previous")));
        Assert.Equal("10", Display(Row(Table(body, "ConsentOutcomes", "Outcome"), "Valid").GetProperty("period")));
        // Days 0,0,0,2,2,2,2,7,7,7: the median is 2. The previous period had none: no median.
        Assert.Equal(2, Median(body).GetProperty("period").GetDouble());
        Assert.Equal(JsonValueKind.Null, Median(body).GetProperty("previous").ValueKind);

        // The next year: still open at its end (nothing was counted in January 2027 yet), the previous period's end too.
        using var next = await GetAsync("from=2027-01-01&to=2027-12-31");
        var nextActive = Row(Table(await next.JsonAsync(), "CasesActiveAtEnd", "Totalt"), "Totalt");
        Assert.Equal("11", Display(nextActive.GetProperty("previous")));
    }

    [Fact]
    public async Task ActiveAtPeriodEnd_NeverLetsASmallClosedCountBeComputed_AndAMedianOfFewIsNotShown()
    {
        var cases = new List<Guid>();
        for (var i = 0; i < 7; i++) cases.Add(await Scenario.OpenCaseAsync());
        await Scenario.GiveValidConsentAsync(cases[0]);
        var coordinator = await Scenario.As("samordnare");
        await (await coordinator.Http.PostAsJsonAsync($"/api/cases/{cases[6]}/transitions", new { trigger = "Close", closeReason = "NotRelevant" }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        Factory.Clock.Set(new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero));
        await Scenario.RenewSessionsAsync();

        using var response = await GetAsync(Year2026);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        var closed = Row(Table(body, "CasesClosed", "CloseReason"), "Totalt").GetProperty("period");
        var opened = Row(Table(body, "CasesOpened", "SignalCategory"), "Totalt").GetProperty("period");
        var active = Row(Table(body, "CasesActiveAtEnd", "Totalt"), "Totalt").GetProperty("period");
        Assert.Equal("<5", Display(closed));
        // Opened 7 − active 6 would give the one closed case: they are never both exact.
        Assert.False(opened.GetProperty("count").ValueKind == JsonValueKind.Number && active.GetProperty("count").ValueKind == JsonValueKind.Number,
            $"opened {Display(opened)}, active {Display(active)}");
        Assert.Equal(JsonValueKind.Null, Median(body).GetProperty("period").ValueKind);
    }

    [Fact]
    public async Task AgeBands_AreTheAgeAtOpening_FromAPlainColumn_OlderCasesCountAsUnknown()
    {
        // Six under 15, one of 15, one of 17, one of 18, one of 20.
        var ids = new List<Guid>();
        foreach (var age in new[] { 14, 14, 14, 14, 14, 14, 15, 17, 18, 20 }) ids.Add(await Scenario.OpenCaseAsync(age));
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SspfDbContext>();
            var bands = await db.Cases.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.AgeBandAtOpening }).ToListAsync();
            Assert.Equal(["Under15", "Under15", "Under15", "Under15", "Under15", "Under15", "Age15To17", "Age15To17", "Age18Plus", "Age18Plus"],
                ids.Select(id => bands.Single(b => b.Id == id).AgeBandAtOpening!.ToString()));
            // A case opened before the column existed has none (nothing is decrypted to fill it in).
            await db.Cases.Where(c => c.Id == ids[0]).ExecuteUpdateAsync(u => u.SetProperty(c => c.AgeBandAtOpening, (Domain.Statistics.AgeBand?)null));
        }
        Factory.Clock.Set(new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero));
        await Scenario.RenewSessionsAsync();

        using var response = await GetAsync(Year2026);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        var ages = Table(JsonDocument.Parse(text).RootElement, "CasesOpened", "AgeBand");
        Assert.Equal("5", Display(Row(ages, "Under15").GetProperty("period")));
        Assert.Equal("<5", Display(Row(ages, "Age15To17").GetProperty("period")));
        Assert.Equal("<5", Display(Row(ages, "Age18Plus").GetProperty("period")));
        Assert.Equal("<5", Display(Row(ages, "Unknown").GetProperty("period")));
        Assert.Equal("10", Display(Row(ages, "Totalt").GetProperty("period")));
        // Three "<5" that leave 5 could be 1+1+3, 1+2+2, …: none of them is pinned.
        Assert.DoesNotContain("born", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WholeMonthPeriods_AreAnswered_WithAsManyMonthsBeforeAsThePreviousPeriod()
    {
        await OpenCasesThenMoveToNextYearAsync([.. Enumerable.Repeat("CriminalActivity", 6)]);

        using var response = await GetAsync("from=2026-08-01&to=2026-11-30&breakdown=quarter");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        Assert.Equal("2026-04-01", body.GetProperty("previousFrom").GetString());
        Assert.Equal("2026-07-31", body.GetProperty("previousTo").GetString());
        // The quarters are cut at the period's ends: August–September, then October–November.
        Assert.Equal(["2026-K3", "2026-K4"], body.GetProperty("slices").EnumerateArray().Select(s => s.GetString()));
        var total = Row(Table(body, "CasesOpened", "SignalCategory"), "Totalt");
        Assert.Equal("6", Display(total.GetProperty("period")));
        Assert.Equal(["0", "6"], total.GetProperty("slices").EnumerateArray().Select(Display));
        Assert.Equal("6", Display(Row(Table(body, "CasesActiveAtEnd", "Totalt"), "Totalt").GetProperty("period")));
    }

    // --- The page /statistik (the web cookie): the same use case as the API, so the same refusals, figures and events.

    private async Task<WebClient> WebAsync(string who, string municipality = "falkenberg")
    {
        var web = new WebClient(Factory);
        (await web.SignInAsync(SspfClient.Demo(who, municipality))).RedirectsTo("/");
        return web;
    }

    [Fact]
    public async Task Page_IsForAnalytikerAndSamordnare_PoliceAndSchoolAreRefused403()
    {
        foreach (var who in new[] { "polis", "skola" })
        {
            var (refused, html) = await (await WebAsync(who)).GetAsync($"/statistik?From=2026-01-01&To=2026-12-31");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        }
        foreach (var who in new[] { "analytiker", "samordnare" })
        {
            var (shown, html) = await (await WebAsync(who)).GetAsync("/statistik");
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            Assert.Contains("<svg class=\"chart\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Page_AnotherMunicipality_OrAnUnknownOne_IsTheOne404Page_AndLoggedAsRefused_AsTheApiDoes()
    {
        var falkoping = await Scenario.MunicipalityIdAsync("falkoping");
        var web = await WebAsync("analytiker");
        var (theirs, theirsHtml) = await web.GetAsync($"/statistik?MunicipalityId={falkoping}&From=2026-01-01&To=2026-12-31");
        var (unknown, unknownHtml) = await web.GetAsync($"/statistik?MunicipalityId={Guid.NewGuid()}&From=2026-01-01&To=2026-12-31");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // The one 404 page, byte for byte: nothing tells "not yours" from "no such municipality".
        Assert.Equal(unknownHtml, theirsHtml);
        Assert.Contains("Sidan finns inte eller så saknar du behörighet", theirsHtml, StringComparison.Ordinal);
        // Falköping's own coordinator gets its figures, the export too.
        var (own, _) = await (await WebAsync("samordnare", "falkoping")).GetAsync($"/statistik?MunicipalityId={falkoping}&From=2026-01-01&To=2026-12-31&Format=json");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        // Falkenberg's Granskare sees Falkenberg's analyst refused twice (Falköping's own read is in Falköping's log).
        var statistics = (await EventsAsync()).Where(e => e.GetProperty("entityType").GetString() == "Statistics").ToList();
        Assert.Equal(["Refused", "Refused"], statistics.Select(Action));
        Assert.Equal(falkoping, statistics[0].GetProperty("entityId").GetGuid());
    }

    [Fact]
    public async Task Page_ShowsTheApisProtectedFigures_AsChartsAndTables_ItsExportsAreTheApisAnswers_EachLoggedOnce()
    {
        await OpenCasesThenMoveToNextYearAsync([.. Enumerable.Repeat("CriminalActivity", 6), "SubstanceUse", "SubstanceUse", "SchoolAbsence"]);
        var web = await WebAsync("analytiker");
        var analyst = await Scenario.UserIdAsync("analytiker");

        var (page, html) = await web.GetAsync("/statistik?From=2026-01-01&To=2026-12-31&Breakdown=quarter");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Öppnade ärenden efter signalkategori", html, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"chart\"", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"col\">2026-K4</th>", html, StringComparison.Ordinal);
        // The row "Missbruk" (2 cases) reads "<5" in the table and has no bar in the chart; 6 is shown.
        Assert.Matches("<th scope=\"row\">Missbruk</th>\\s*<td>&lt;5</td>", html);
        Assert.Matches("<text class=\"chart__label\" x=\"0\" y=\"\\d+\">Missbruk</text>\\s*<rect class=\"chart__bar\" x=\"0\" y=\"\\d+\" width=\"0\"", html);
        Assert.Matches("<th scope=\"row\">Brottslighet</th>\\s*<td>6</td>", html);
        // No style attribute anywhere (the Content-Security-Policy allows none) and no case leaves.
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"SSPF-\d", html); // a case number

        // The exports are the API's own answers, byte for byte.
        const string query = "From=2026-01-01&To=2026-12-31&Breakdown=quarter";
        var (json, jsonBody) = await web.GetAsync($"/statistik?MunicipalityId={await Scenario.MunicipalityIdAsync()}&{query}&Format=json");
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        using var apiJson = await GetAsync($"{Year2026}&breakdown=quarter");
        Assert.Equal(await apiJson.Content.ReadAsStringAsync(), jsonBody);
        var csv = await web.Http.GetAsync($"/statistik?{query}&Format=csv");
        using var apiCsv = await GetAsync($"{Year2026}&breakdown=quarter&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await apiCsv.Content.ReadAsByteArrayAsync(), await csv.Content.ReadAsByteArrayAsync());
        Assert.Contains("href=\"/statistik?MunicipalityId=", html, StringComparison.Ordinal);
        Assert.Contains("&amp;Format=csv\"", html, StringComparison.Ordinal);

        // One Read per query, whichever door: who, which municipality, which period — never a figure.
        var logged = (await EventsAsync()).Where(e => e.GetProperty("entityType").GetString() == "Statistics").ToList();
        Assert.Equal(5, logged.Count);
        Assert.All(logged, e => Assert.Equal("Read", Action(e)));
        Assert.All(logged, e => Assert.Equal(analyst, e.GetProperty("actorUserId").GetGuid()));
        Assert.Equal("2026-01-01..2026-12-31 breakdown=Quarter format=json", logged[0].GetProperty("purpose").GetString());
        Assert.Equal("2026-01-01..2026-12-31 breakdown=Quarter format=csv", logged[3].GetProperty("purpose").GetString());
    }

    [Theory]
    [InlineData("From=2026-03-10&To=2026-12-31", "From", "2026-03-10", "första dagen i en månad")]
    [InlineData("From=2026-01-01&To=2026-03-15", "To", "2026-03-15", "sista dagen i en månad")]
    [InlineData("From=2026-12-01&To=2026-01-31", "To", "2026-01-31", "får inte vara före")]
    [InlineData("From=igår", "From", "igår", "ÅÅÅÅ-MM-DD")]
    [InlineData("From=2026-01-01&To=2026-12-31&Breakdown=week", "Breakdown", null, "Okänd uppdelning")]
    [InlineData("MunicipalityId=falkenberg", "MunicipalityId", null, "kommun-id")]
    public async Task Page_BadInput_ShowsTheSwedishMessageBesideItsField_KeepsWhatWasTyped_AndShowsNoFigures(
        string query, string field, string? typed, string message)
    {
        var (response, html) = await (await WebAsync("analytiker")).GetAsync($"/statistik?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<li><a href=\"#{field}\">", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"{field}-error\"", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        if (typed is not null) Assert.Contains($"value=\"{typed}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain(await EventsAsync(), e => e.GetProperty("entityType").GetString() == "Statistics");
    }
}
