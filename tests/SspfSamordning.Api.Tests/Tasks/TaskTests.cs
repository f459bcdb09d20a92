using System.Net;
using System.Text.Json;
using SspfSamordning.Api.Tests.ConcernReports;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Tasks;

public sealed class TaskTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private static bool IsForCase(JsonElement task, Guid caseId) =>
        task.GetProperty("caseId") is { ValueKind: JsonValueKind.String } id && id.GetGuid() == caseId;

    [Fact]
    public async Task Coordinator_AfterRequestingConsent_HasConsentUnansweredDue14DaysLater_WithoutPersonalData()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var caseNumber = (await scenario.GetCaseAsync(caseId)).GetProperty("caseNumber").GetString();
        Assert.DoesNotContain(await ConcernReportSteps.TasksAsync(scenario, "samordnare"), t => IsForCase(t, caseId));

        var requestedAt = factory.Clock.GetUtcNow();
        await TestArrangement.RequestConsentDirectlyAsync(factory, caseId, await scenario.UserIdAsync("samordnare"));

        var response = await (await scenario.As("samordnare")).Http.GetAsync("/api/me/tasks");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var raw = await response.Content.ReadAsStringAsync();
        var task = Assert.Single((await response.JsonAsync()).GetProperty("items").EnumerateArray(), t => IsForCase(t, caseId));
        Assert.Equal(["caseId", "caseNumber", "concernReportId", "dueAt", "id", "kind", "remindAt"], task.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("ConsentUnanswered", task.GetProperty("kind").GetString());
        Assert.Equal(requestedAt.AddDays(14), task.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(caseNumber, task.GetProperty("caseNumber").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("concernReportId").ValueKind);
        foreach (var personal in new[] { "Kim", "Testsson", "Storgatan", "Tångaskolan" })
            Assert.DoesNotContain(personal, raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaseDeadline_OfACaseTheResponsibleCannotSee_IsNotListed()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        // The school user is made responsible for a deadline of a case it is not a member of (and, without a valid
        // consent, could not see as a member either): the task must stay hidden until the case is visible.
        await TestArrangement.RequestConsentDirectlyAsync(factory, caseId, await scenario.UserIdAsync("skola"));
        Assert.DoesNotContain(await ConcernReportSteps.TasksAsync(scenario, "skola"), t => IsForCase(t, caseId));
        await scenario.AddMemberAsync(caseId, "skola");
        Assert.DoesNotContain(await ConcernReportSteps.TasksAsync(scenario, "skola"), t => IsForCase(t, caseId));
    }

    [Fact]
    public async Task Tasks_AreOrderedDueFirst_AndPaged()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        await ConcernReportSteps.FileAsync(scenario, "skola");
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await ConcernReportSteps.FileAsync(scenario, "skola");
        var social = (await scenario.As("socialsekreterare")).Http;

        var all = await ConcernReportSteps.TasksAsync(scenario, "socialsekreterare");
        Assert.True(all.Count >= 4);
        var due = all.Select(t => t.GetProperty("dueAt").GetDateTimeOffset()).ToList();
        Assert.Equal(due.Order(), due);

        var page = await (await social.GetAsync("/api/me/tasks?page=2&pageSize=1")).JsonAsync();
        Assert.Equal(all.Count, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(all[1].GetProperty("id").GetGuid(), Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await (await social.GetAsync("/api/me/tasks?pageSize=101")).EnsureStatusAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("granskare")]
    [InlineData("admin")]
    public async Task Tasks_AreForCaseRolesOnly(string name)
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        await (await (await scenario.As(name)).Http.GetAsync("/api/me/tasks")).EnsureStatusAsync(HttpStatusCode.Forbidden);
    }
}
