using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Admin;
using SspfSamordning.Api.Tests.ConcernReports;
using SspfSamordning.Api.Tests.Consents;
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
        await scenario.RequestConsentAsync(caseId);

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
        // A second coordinator schedules a meeting (its deadline is theirs), then the administrators make them a school
        // user: no longer a coordinator, not a member, so the case is out of sight — and so must its task be.
        var admin = await scenario.As("admin");
        var unitId = (await (await admin.Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var name = "samordnare-" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = SspfClient.Demo(name), displayName = "Andra samordnaren", unitId, roles = new[] { "Samordnare" }, initialPassword = SspfClient.DemoPassword,
        });
        await created.EnsureStatusAsync(HttpStatusCode.Created);
        var userId = (await AdminSteps.ApproveAsync(await scenario.As(AdminSteps.SecondAdmin), created)).GetProperty("id").GetGuid();
        var second = await scenario.As(name);
        var scheduled = await second.Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings",
            new { kind = "Mapping", startsAt = factory.Clock.GetUtcNow().AddDays(2), location = "Stadshuset", inviteeUserIds = Array.Empty<Guid>() });
        await scheduled.EnsureStatusAsync(HttpStatusCode.Created);
        Assert.Contains(await ConcernReportSteps.TasksAsync(scenario, name), t => IsForCase(t, caseId));

        var changed = await admin.Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "Skola" } });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        await AdminSteps.ApproveAsync(await scenario.As(AdminSteps.SecondAdmin), changed);
        await scenario.RenewSessionsAsync();
        var teacher = await scenario.As(name);
        await (await teacher.Http.GetAsync($"/api/cases/{caseId}")).EnsureStatusAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(await ConcernReportSteps.TasksAsync(scenario, name), t => IsForCase(t, caseId));
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
