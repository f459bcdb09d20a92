using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>
/// One case from signal to closing, through the real endpoints as the people who do each step, watching the
/// case state and the coordinator's deadlines appear and disappear along the way (issue 3).
/// </summary>
public sealed class CaseWalkthroughTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private CaseScenario scenario = null!;
    private Guid caseId;

    [Fact]
    public async Task WholeCase_FromSignalToClosing_MovesEveryWorkflowAndItsDeadlines()
    {
        scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.As("samordnare");
        var social = await scenario.As("socialsekreterare");
        var school = await scenario.As("skola");
        var police = await scenario.As("polis");
        var schoolUser = await scenario.UserIdAsync("skola");
        var policeUser = await scenario.UserIdAsync("polis");

        // Open: a 16-year-old, so both guardians and the youth must consent.
        caseId = await scenario.OpenCaseAsync(age: 16);
        foreach (var member in new[] { "socialsekreterare", "skola", "polis", "fritid" }) await scenario.AddMemberAsync(caseId, member);
        Assert.Equal("Opened", await StateAsync());
        await Expect(police.Http.GetAsync($"/api/cases/{caseId}"), HttpStatusCode.NotFound);

        // Consent requested: the case waits, and the coordinator has an unanswered-consent deadline 14 days out.
        var consent = await Json(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/consents",
            new { parties = new[] { "Skola", "Socialtjanst", "Polis", "Fritid" }, categories = new[] { "Basic", "School", "Police" } }), HttpStatusCode.Created);
        var consentId = consent.GetProperty("id").GetGuid();
        Assert.Equal("AwaitingConsent", await StateAsync());
        var unanswered = Assert.Single(await TasksAsync(), t => t.Kind == "ConsentUnanswered");
        Assert.Equal(factory.Clock.GetUtcNow().AddDays(14), unanswered.DueAt);

        // Each signatory answers; the last one makes the consent Valid and the case Active.
        var guardians = (await scenario.GetCaseAsync(caseId)).GetProperty("guardians").EnumerateArray().Select(g => g.GetProperty("id").GetGuid()).ToList();
        Assert.Equal("PartiallyGiven", (await Answer(social, consentId, "Guardian", guardians[0])).GetProperty("state").GetString());
        Assert.Equal("PartiallyGiven", (await Answer(coordinator, consentId, "Guardian", guardians[1])).GetProperty("state").GetString());
        Assert.Equal("Valid", (await Answer(coordinator, consentId, "Youth", null)).GetProperty("state").GetString());
        Assert.Equal("Active", await StateAsync());
        var tasks = await TasksAsync();
        Assert.DoesNotContain(tasks, t => t.Kind == "ConsentUnanswered");
        Assert.Contains(tasks, t => t.Kind == "ConsentExpiring");
        var policeView = await Json(police.Http.GetAsync($"/api/cases/{caseId}"), HttpStatusCode.OK);
        Assert.Equal(["Basic", "School", "Police"], policeView.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));

        // Mapping conversation: booked (a meeting deadline), held (minutes to approve within 7 days), minutes approved.
        var mapping = await Schedule(coordinator, "Mapping", []);
        Assert.Contains(await TasksAsync(), t => t.Kind == "Meeting");
        await Hold(coordinator, mapping, "Kartläggning med familjen.");
        tasks = await TasksAsync();
        Assert.DoesNotContain(tasks, t => t.Kind == "Meeting");
        Assert.Contains(tasks, t => t.Kind == "MinutesApproval");
        await Json(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings/{mapping}/transitions", new { trigger = "ApproveMinutes" }), HttpStatusCode.OK);
        Assert.DoesNotContain(await TasksAsync(), t => t.Kind == "MinutesApproval");

        // Network meeting with school and police, and the action plan: the first follow-up is due six weeks later.
        var network = await Schedule(coordinator, "Network", [schoolUser, policeUser]);
        await Hold(coordinator, network, "Nätverksmöte: mål och insatser.");
        var planAdopted = factory.Clock.GetUtcNow();
        await Json(coordinator.Http.PutAsJsonAsync($"/api/cases/{caseId}/action-plan", new { meetingId = network, goals = "Närvaro i skolan, meningsfull fritid." }), HttpStatusCode.OK);
        var firstFollowUp = Assert.Single(await TasksAsync(), t => t.Kind == "FollowUpDue");
        Assert.Equal(planAdopted.AddDays(42), firstFollowUp.DueAt);

        // An intervention owned by the school, planned and started by the school's own member.
        var intervention = (await Json(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/interventions", new
        {
            type = "SchoolSupport", ownerParty = "Skola", responsibleUserId = schoolUser, goal = "Full närvaro vårterminen.",
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var trigger in new[] { "Plan", "Start" })
            Assert.Equal(trigger == "Plan" ? "Planned" : "Ongoing", (await Json(school.Http.PostAsJsonAsync(
                $"/api/cases/{caseId}/interventions/{intervention}/transitions", new { trigger }), HttpStatusCode.OK)).GetProperty("state").GetString());

        // The follow-up is done with an assessment of the intervention; the next one is scheduled three months on.
        var followUpId = (await scenario.GetCaseAsync(caseId)).GetProperty("followUps")[0].GetProperty("id").GetGuid();
        var done = await Json(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/follow-ups/{followUpId}/transitions", new
        {
            trigger = "Complete", assessments = new Dictionary<Guid, string> { [intervention] = "Närvaron har ökat." }, overallAssessment = "Positiv utveckling.",
        }), HttpStatusCode.OK);
        Assert.Equal("Done", done.GetProperty("state").GetString());
        var next = Assert.Single(await TasksAsync(), t => t.Kind == "FollowUpDue");
        Assert.NotEqual(firstFollowUp.Id, next.Id);
        Assert.Equal(factory.Clock.GetUtcNow().AddMonths(3), next.DueAt);

        // Closing cancels the scheduled follow-up and every open deadline of the case.
        await Json(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/transitions", new { trigger = "Close", closeReason = "GoalsReached" }), HttpStatusCode.OK);
        Assert.Equal("Closed", await StateAsync());
        Assert.Empty(await TasksAsync());
        var followUps = (await scenario.GetCaseAsync(caseId)).GetProperty("followUps").EnumerateArray().Select(f => f.GetProperty("state").GetString());
        Assert.Equal(["Done", "Cancelled"], followUps);

        // The history tells the whole story, oldest first.
        var history = await Json(coordinator.Http.GetAsync($"/api/cases/{caseId}/history?pageSize=100"), HttpStatusCode.OK);
        var caseSteps = history.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("workflow").GetString() == "Case")
            .Select(e => $"{e.GetProperty("from").GetString()}->{e.GetProperty("to").GetString()}");
        Assert.Equal(["Opened->AwaitingConsent", "AwaitingConsent->Active", "Active->Closed"], caseSteps);
    }

    private sealed record TaskRow(Guid Id, string Kind, DateTimeOffset DueAt, Guid? CaseId);

    /// <summary>The coordinator's open deadlines in this case.</summary>
    private async Task<List<TaskRow>> TasksAsync()
    {
        var page = await Json((await scenario.As("samordnare")).Http.GetAsync("/api/me/tasks?pageSize=100"), HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray()
            .Select(t => new TaskRow(t.GetProperty("id").GetGuid(), t.GetProperty("kind").GetString()!, t.GetProperty("dueAt").GetDateTimeOffset(),
                t.TryGetProperty("caseId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetGuid() : null))
            .Where(t => t.CaseId == caseId).ToList();
    }

    private async Task<string?> StateAsync() => (await scenario.GetCaseAsync(caseId)).GetProperty("state").GetString();

    private async Task<JsonElement> Answer(SspfClient recorder, Guid consentId, string signatory, Guid? guardianId) =>
        await Json(recorder.Http.PostAsJsonAsync($"/api/cases/{caseId}/consents/{consentId}/answers",
            new { signatory, guardianId, given = true, form = "Written", documentRef = "Blankett 17", obtainedBy = "Socialtjanst" }), HttpStatusCode.OK);

    private async Task<Guid> Schedule(SspfClient coordinator, string kind, Guid[] invitees) =>
        (await Json(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings",
            new { kind, startsAt = factory.Clock.GetUtcNow().AddDays(3), location = "Stadshuset", inviteeUserIds = invitees }), HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    private async Task Hold(SspfClient coordinator, Guid meetingId, string minutes)
    {
        factory.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(1));
        await scenario.RenewSessionsAsync();
        await Json(coordinator.Http.PostAsJsonAsync($"/api/cases/{caseId}/meetings/{meetingId}/transitions", new
        {
            trigger = "Hold", attendeeUserIds = Array.Empty<Guid>(), youthAttended = true, attendingGuardianIds = Array.Empty<Guid>(), draftMinutes = minutes,
        }), HttpStatusCode.OK);
    }

    private static async Task Expect(Task<HttpResponseMessage> call, HttpStatusCode status) => await (await call).EnsureStatusAsync(status);

    private static async Task<JsonElement> Json(Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        var response = await call;
        await response.EnsureStatusAsync(status);
        return await response.JsonAsync();
    }
}
