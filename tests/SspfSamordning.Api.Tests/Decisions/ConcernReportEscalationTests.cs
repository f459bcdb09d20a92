using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Admin;
using SspfSamordning.Api.Tests.ConcernReports;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Reminders;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Decisions;

/// <summary>
/// Decision 8: a concern report's deadlines escalate to socialtjänst staff of the receiving unit, never to the samordnare.
/// A class (and so a database) of its own: it adds a second social worker, which changes who receives reports.
/// </summary>
public sealed class ConcernReportEscalationTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task Escalations_GoToSocialServicesOfTheReceivingUnit_NeverToTheCoordinator()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var coordinator = await scenario.UserIdAsync("samordnare");
        var social = await scenario.UserIdAsync("socialsekreterare");

        // Alone in the unit: the responsible social worker also receives the escalation.
        var alone = await ConcernReportSteps.FileAsync(scenario, "skola");
        var aloneDetail = await ConcernReportSteps.DetailAsync(scenario, alone);
        Assert.Equal((social, social), (aloneDetail.GetProperty("responsibleUserId").GetGuid(), aloneDetail.GetProperty("escalateToUserId").GetGuid()));

        // With a colleague in the same unit: the colleague, for reports of every category (violence included).
        var colleague = await AnotherSocialWorkerAsync(scenario);
        var colleagueId = await scenario.UserIdAsync(colleague);
        var reports = new List<Guid>();
        var responsibleOf = new Dictionary<Guid, Guid> { [alone] = social };
        foreach (var violence in new[] { false, true })
        {
            var id = await ConcernReportSteps.FileAsync(scenario, "skola", violence);
            reports.Add(id);
            var detail = await ConcernReportSteps.DetailAsync(scenario, id);
            var responsible = detail.GetProperty("responsibleUserId").GetGuid();
            responsibleOf[id] = responsible;
            var escalateTo = detail.GetProperty("escalateToUserId").GetGuid();
            Assert.Contains(responsible, new[] { social, colleagueId });
            Assert.Contains(escalateTo, new[] { social, colleagueId });
            Assert.NotEqual(responsible, escalateTo);
        }

        // Staff change after filing: a third social worker joins the unit and the named colleague leaves (disabled).
        // The escalation follows the unit as it is when the deadline passes, not as it was when the report came in.
        var third = await scenario.UserIdAsync(await AnotherSocialWorkerAsync(scenario));
        var admin = await scenario.As("admin");
        await (await admin.Http.PostAsync($"/api/admin/users/{colleagueId}/disable", null)).EnsureStatusAsync(HttpStatusCode.NoContent);
        var activeInUnit = new[] { social, third };

        // The protection assessment passes unassessed: every active colleague of the responsible one gets the
        // escalation; nobody else — never the coordinator, never the disabled colleague.
        factory.Clock.Advance(TimeSpan.FromDays(6));
        await factory.DispatchAsync(TestContext.Current.CancellationToken);
        foreach (var id in reports.Prepend(alone))
        {
            var responsible = responsibleOf[id];
            var deadline = await factory.DeadlineAsync(DeadlineKind.ProtectionAssessment, id);
            var escalatedTo = (await factory.NotificationsAsync(deadline.Id)).Where(n => n.Step == ReminderStep.Escalation).Select(n => n.UserId).Order();
            Assert.Equal(activeInUnit.Where(u => u != responsible).Order(), escalatedTo);
            Assert.DoesNotContain(coordinator, escalatedTo);
        }
    }

    /// <summary>A second Socialsekreterare in the unit of socialsekreterare@falkenberg, created through the admin API.</summary>
    private static async Task<string> AnotherSocialWorkerAsync(CaseScenario scenario)
    {
        var unitId = (await (await (await scenario.As("socialsekreterare")).Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var name = "socialsekreterare-" + Guid.NewGuid().ToString("N")[..8];
        var response = await (await scenario.As("admin")).Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = SspfClient.Demo(name), displayName = "Annan Socialsekreterare", unitId, roles = new[] { "Socialsekreterare" }, initialPassword = SspfClient.DemoPassword,
        });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        await AdminSteps.ApproveAsync(await scenario.As(AdminSteps.SecondAdmin), response);
        return name;
    }
}
