using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.ConcernReports;

/// <summary>Drives concern reports through the real endpoints, and puts the test clock on a chosen Swedish local time.</summary>
public static class ConcernReportSteps
{
    public const string Content = "Eleven berättar att det är bråk hemma varje kväll och att hen inte vill gå hem.";

    public static async Task<HttpResponseMessage> FileResponseAsync(
        CaseScenario scenario, string reporter, bool violence = false, Guid? caseId = null, string? content = Content) =>
        await (await scenario.As(reporter)).Http.PostAsJsonAsync("/api/concern-reports", new
        {
            municipalityId = await scenario.MunicipalityIdAsync(),
            content,
            concernsViolenceAgainstChild = violence,
            youthName = "Kim Testsson",
            caseId,
        });

    /// <summary>Files a report as <paramref name="reporter"/> and returns its id.</summary>
    public static async Task<Guid> FileAsync(CaseScenario scenario, string reporter = "skola", bool violence = false, Guid? caseId = null)
    {
        var response = await FileResponseAsync(scenario, reporter, violence, caseId);
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> TransitionAsync(CaseScenario scenario, Guid reportId, object body) =>
        await (await scenario.As("socialsekreterare")).Http.PostAsJsonAsync($"/api/concern-reports/{reportId}/transitions", body);

    public static async Task<JsonElement> DetailAsync(CaseScenario scenario, Guid reportId)
    {
        var response = await (await scenario.As("socialsekreterare")).Http.GetAsync($"/api/concern-reports/{reportId}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    /// <summary>The caller's open tasks (first page of 100).</summary>
    public static async Task<List<JsonElement>> TasksAsync(CaseScenario scenario, string name)
    {
        var response = await (await scenario.As(name)).Http.GetAsync("/api/me/tasks?pageSize=100");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    /// <summary>Whether a task of /api/me/tasks belongs to the concern report.</summary>
    public static bool IsFor(this JsonElement task, Guid reportId) =>
        task.GetProperty("concernReportId") is { ValueKind: JsonValueKind.String } id && id.GetGuid() == reportId;

    /// <summary>
    /// Moves the clock forward to the next <paramref name="day"/> (at least a day ahead) just before
    /// <paramref name="time"/> Swedish local time, signs <paramref name="users"/> in there (tokens are short-lived and
    /// signing in moves the clock), then sets it to exactly that time. Call it before the scenario's first sign-in.
    /// </summary>
    public static async Task<DateTimeOffset> ArriveAtAsync(SspfApiFactory factory, CaseScenario scenario, DayOfWeek day, TimeOnly time, params string[] users)
    {
        var date = SwedishCalendar.DateOf(factory.Clock.GetUtcNow()).AddDays(1);
        while (date.DayOfWeek != day) date = date.AddDays(1);
        var local = date.ToDateTime(time);
        var at = new DateTimeOffset(local, SwedishCalendar.TimeZone.GetUtcOffset(local)).ToUniversalTime();
        factory.Clock.Set(at - TimeSpan.FromMinutes(5));
        foreach (var user in users) await scenario.As(user);
        Assert.True(factory.Clock.GetUtcNow() <= at, "signing in took the clock past the target time");
        factory.Clock.Set(at);
        return at;
    }
}
