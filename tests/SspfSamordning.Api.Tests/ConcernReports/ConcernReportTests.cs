using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;
using static SspfSamordning.Api.Tests.ConcernReports.ConcernReportSteps;

namespace SspfSamordning.Api.Tests.ConcernReports;

public sealed class ConcernReportTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    private static string[] PropertyNames(JsonElement body) => [.. body.EnumerateObject().Select(p => p.Name).Order()];

    [Fact]
    public async Task File_BySchool_Is201WithIdAndStateOnly_NeverTheContent()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var response = await FileResponseAsync(scenario, "skola");
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await response.JsonAsync();
        Assert.Equal(["id", "state"], PropertyNames(body));
        Assert.Equal("Received", body.GetProperty("state").GetString());
        Assert.Equal($"/api/concern-reports/{body.GetProperty("id").GetGuid()}/status", response.Headers.Location?.ToString());
        Assert.DoesNotContain("bråk hemma", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_BySocialWorker_ReturnsTheWholeReport_WithTheFilerResponsible()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var response = await FileResponseAsync(scenario, "socialsekreterare");
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var body = await response.JsonAsync();
        Assert.Equal(Content, body.GetProperty("content").GetString());
        Assert.Equal(await scenario.UserIdAsync("socialsekreterare"), body.GetProperty("responsibleUserId").GetGuid());
        // Decision 8: escalations stay with socialtjänst (here the only social worker of the unit), never the samordnare.
        Assert.Equal(await scenario.UserIdAsync("socialsekreterare"), body.GetProperty("escalateToUserId").GetGuid());
    }

    [Fact]
    public async Task Status_ReporterSeesOnlyStatusOfOwnReport_OtherNonSocialServicesGet404()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await FileAsync(scenario, "skola");

        var own = await (await scenario.As("skola")).Http.GetAsync($"/api/concern-reports/{reportId}/status");
        await own.EnsureStatusAsync(HttpStatusCode.OK);
        var status = await own.JsonAsync();
        Assert.Equal(["id", "receivedAt", "status"], PropertyNames(status));
        Assert.Equal("Received", status.GetProperty("status").GetString());

        foreach (var other in new[] { "polis", "fritid", "samordnare" })
            await (await (await scenario.As(other)).Http.GetAsync($"/api/concern-reports/{reportId}/status")).EnsureStatusAsync(HttpStatusCode.NotFound);
        await (await (await scenario.As("socialsekreterare")).Http.GetAsync($"/api/concern-reports/{reportId}/status")).EnsureStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Content_IsReadBySocialServices_AndForbiddenToSchoolPoliceAndCoordinator()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await FileAsync(scenario, "skola");

        var detail = await DetailAsync(scenario, reportId);
        Assert.Equal(Content, detail.GetProperty("content").GetString());
        Assert.Equal("Skola", detail.GetProperty("reporterParty").GetString());
        Assert.Equal(await scenario.UserIdAsync("socialsekreterare"), detail.GetProperty("responsibleUserId").GetGuid());
        var list = await (await (await scenario.As("socialsekreterare")).Http.GetAsync("/api/concern-reports?state=Received")).JsonAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == reportId);

        foreach (var other in new[] { "skola", "polis", "samordnare" })
        {
            var client = (await scenario.As(other)).Http;
            await (await client.GetAsync($"/api/concern-reports/{reportId}")).EnsureStatusAsync(HttpStatusCode.Forbidden);
            await (await client.GetAsync("/api/concern-reports")).EnsureStatusAsync(HttpStatusCode.Forbidden);
            await (await client.PostAsJsonAsync($"/api/concern-reports/{reportId}/transitions", new { trigger = "AssessProtection" }))
                .EnsureStatusAsync(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task AssessProtection_CompletesItsDeadline_AndThePreliminaryAssessmentIsDue14DaysAfterReceipt()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await FileAsync(scenario, "skola");
        var receivedAt = (await DetailAsync(scenario, reportId)).GetProperty("receivedAt").GetDateTimeOffset();
        var before = (await TasksAsync(scenario, "socialsekreterare")).Where(t => t.IsFor(reportId)).ToList();
        Assert.Contains(before, t => t.GetProperty("kind").GetString() == "ProtectionAssessment");

        var assessed = await TransitionAsync(scenario, reportId, new { trigger = "AssessProtection", assessment = "Inget akut skyddsbehov.", immediateProtectionNeeded = false });
        await assessed.EnsureStatusAsync(HttpStatusCode.OK);
        var result = await assessed.JsonAsync();
        Assert.Equal("ProtectionAssessed", result.GetProperty("state").GetString());
        Assert.Equal(["OpenInvestigation", "DecideNoInvestigation"], result.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));

        var after = (await TasksAsync(scenario, "socialsekreterare")).Where(t => t.IsFor(reportId)).ToList();
        var preliminary = Assert.Single(after);
        Assert.Equal("PreliminaryAssessment", preliminary.GetProperty("kind").GetString());
        Assert.Equal(receivedAt.AddDays(14), preliminary.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(receivedAt.AddDays(11), preliminary.GetProperty("remindAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, preliminary.GetProperty("caseId").ValueKind);
    }

    [Fact]
    public async Task ViolenceAgainstChild_OpensTheInvestigationAtOnce()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var response = await FileResponseAsync(scenario, "polis", violence: true);
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var receipt = await response.JsonAsync();
        var reportId = receipt.GetProperty("id").GetGuid();
        Assert.Equal("InvestigationOpened", receipt.GetProperty("state").GetString());

        var detail = await DetailAsync(scenario, reportId);
        Assert.Equal("InvestigationOpened", detail.GetProperty("state").GetString());
        var kinds = detail.GetProperty("openDeadlines").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).Order().ToList();
        // Decision 1: the protection assessment is due for a violence report too.
        Assert.Equal(["InvestigationDue", "ProtectionAssessment", "ReporterFeedback"], kinds);
        var status = await (await (await scenario.As("polis")).Http.GetAsync($"/api/concern-reports/{reportId}/status")).JsonAsync();
        Assert.Equal("InvestigationOpened", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RefusedTrigger_Is409WithCurrentStateAndPermittedTriggers()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await FileAsync(scenario, "skola");
        var refused = await TransitionAsync(scenario, reportId, new { trigger = "CloseInvestigation" });
        await refused.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await refused.JsonAsync();
        Assert.Equal("TransitionRefused", problem.GetProperty("code").GetString());
        Assert.Equal("Received", problem.GetProperty("currentState").GetString());
        Assert.Equal(["AssessProtection"], problem.GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));

        // Without violence, the guard explains why the investigation cannot open straight from Received.
        var guarded = await (await TransitionAsync(scenario, reportId, new { trigger = "OpenInvestigation" })).JsonAsync();
        Assert.Equal(["Anmälan gäller våld mot barnet"], guarded.GetProperty("unmetGuards").EnumerateArray().Select(g => g.GetString()));
        var feedbackTooEarly = await TransitionAsync(scenario, reportId, new { trigger = "RecordReporterFeedback" });
        await feedbackTooEarly.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("TransitionRefused", (await feedbackTooEarly.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task NoInvestigation_IsTheReportersStatus_AndFeedbackCompletesItsTask()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await FileAsync(scenario, "fritid");
        await (await TransitionAsync(scenario, reportId, new { trigger = "AssessProtection", assessment = "Inget akut.", immediateProtectionNeeded = false }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        var decided = await TransitionAsync(scenario, reportId, new { trigger = "DecideNoInvestigation", reason = "Familjen har redan stöd." });
        await decided.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["RecordReporterFeedback"], (await decided.JsonAsync()).GetProperty("permittedTriggers").EnumerateArray().Select(t => t.GetString()));
        var status = await (await (await scenario.As("fritid")).Http.GetAsync($"/api/concern-reports/{reportId}/status")).JsonAsync();
        Assert.Equal("NoInvestigation", status.GetProperty("status").GetString());

        Assert.Equal(["ReporterFeedback"], (await TasksAsync(scenario, "socialsekreterare"))
            .Where(t => t.IsFor(reportId)).Select(t => t.GetProperty("kind").GetString()));
        await (await TransitionAsync(scenario, reportId, new { trigger = "RecordReporterFeedback" })).EnsureStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(await TasksAsync(scenario, "socialsekreterare"), t => t.IsFor(reportId));
        // Given once: a second time is refused by the workflow's guard, and the feedback is a history event of the report.
        var again = await (await TransitionAsync(scenario, reportId, new { trigger = "RecordReporterFeedback" })).JsonAsync();
        Assert.Equal(["Återkoppling har inte lämnats"], again.GetProperty("unmetGuards").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task ExtendInvestigation_NeedsNewDueDateAndReason_AndMovesTheDeadline()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var reportId = await FileAsync(scenario, "skola", violence: true);
        var dueAt = (await DetailAsync(scenario, reportId)).GetProperty("investigationDueAt").GetDateTimeOffset();

        await (await TransitionAsync(scenario, reportId, new { trigger = "ExtendInvestigation", reason = "Väntar på BUP." })).EnsureStatusAsync(HttpStatusCode.BadRequest);
        var noReason = await TransitionAsync(scenario, reportId, new { trigger = "ExtendInvestigation", newDueAt = dueAt.AddMonths(2) });
        await noReason.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await noReason.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));

        await (await TransitionAsync(scenario, reportId, new { trigger = "ExtendInvestigation", newDueAt = dueAt.AddMonths(2), reason = "Väntar på BUP." }))
            .EnsureStatusAsync(HttpStatusCode.OK);
        var deadline = Assert.Single((await DetailAsync(scenario, reportId)).GetProperty("openDeadlines").EnumerateArray(), d => d.GetProperty("kind").GetString() == "InvestigationDue");
        Assert.Equal(dueAt.AddMonths(2), deadline.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task File_InvalidBody_Is400WithFieldErrors()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var skola = await scenario.As("skola");
        var response = await skola.Http.PostAsJsonAsync("/api/concern-reports", new { municipalityId = await scenario.MunicipalityIdAsync("falkoping") });
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        foreach (var field in new[] { "municipalityId", "content", "concernsViolenceAgainstChild" })
            Assert.True(errors.TryGetProperty(field, out _), field);
        var smuggled = await skola.Http.PostAsJsonAsync("/api/concern-reports", new { state = "NoInvestigation" });
        await smuggled.EnsureStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task File_WhereNoSocialWorkerServes_Is409()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var response = await (await scenario.As("samordnare", "falkoping")).Http.PostAsJsonAsync("/api/concern-reports", new
        {
            municipalityId = await scenario.MunicipalityIdAsync("falkoping"), content = Content, concernsViolenceAgainstChild = false,
        });
        await response.EnsureStatusAsync(HttpStatusCode.Conflict);
        Assert.Equal("NoSocialWorker", (await response.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task File_FromACaseTheReporterCannotSee_Is400()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var refusedBefore = (await factory.AccessEventsAsync(SspfSamordning.Api.Infrastructure.Audit.AuditAction.Refused)).Count;
        var response = await FileResponseAsync(scenario, "skola", caseId: caseId);
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("caseId", out _));
        // The probe of a case the reporter may not see is a refused attempt on that case, logged (access rule 8).
        var refused = (await factory.AccessEventsAsync(SspfSamordning.Api.Infrastructure.Audit.AuditAction.Refused)).Skip(refusedBefore).ToList();
        var reporter = await scenario.UserIdAsync("skola");
        Assert.Contains(refused, e => e.CaseId == caseId && e.ActorUserId == reporter);

        // The coordinator sees every case of the municipality and may file from it.
        var reportId = await FileAsync(scenario, "samordnare", caseId: caseId);
        Assert.Equal(caseId, (await DetailAsync(scenario, reportId)).GetProperty("caseId").GetGuid());
    }

    [Fact]
    public async Task Link_SocialWorkerMember_LinksReportToCase_NonMemberGets404()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var caseId = await scenario.OpenCaseAsync();
        var reportId = await FileAsync(scenario, "skola");
        var social = await scenario.As("socialsekreterare");

        await (await social.Http.PostAsJsonAsync($"/api/cases/{caseId}/concern-reports", new { concernReportId = reportId }))
            .EnsureStatusAsync(HttpStatusCode.NotFound);
        await scenario.AddMemberAsync(caseId, "socialsekreterare");
        await (await social.Http.PostAsJsonAsync($"/api/cases/{caseId}/concern-reports", new { concernReportId = Guid.NewGuid() }))
            .EnsureStatusAsync(HttpStatusCode.BadRequest);
        var linked = await social.Http.PostAsJsonAsync($"/api/cases/{caseId}/concern-reports", new { concernReportId = reportId });
        await linked.EnsureStatusAsync(HttpStatusCode.OK);
        Assert.Equal(caseId, (await linked.JsonAsync()).GetProperty("caseId").GetGuid());
        Assert.Equal(caseId, (await DetailAsync(scenario, reportId)).GetProperty("caseId").GetGuid());
        // The link is on the case's trail: the report's change event names the case.
        var changes = await factory.AccessEventsAsync(SspfSamordning.Api.Infrastructure.Audit.AuditAction.Change);
        Assert.Contains(changes, e => e.EntityType == "ConcernReport" && e.EntityId == reportId && e.CaseId == caseId);

        // The coordinator runs the case but never handles the report.
        await (await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/concern-reports", new { concernReportId = reportId }))
            .EnsureStatusAsync(HttpStatusCode.Forbidden);
    }
}
