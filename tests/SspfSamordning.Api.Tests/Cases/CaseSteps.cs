using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Meetings;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Cases;

/// <summary>Brings a case to Active and to an adopted action plan through the real endpoints (no domain calls on the app's DbContext).</summary>
public static class CaseSteps
{
    /// <summary>
    /// Opens a case for a 14-year-old (two guardians with custody), adds <paramref name="members"/> and makes it Active
    /// with a consent that both guardians gave, sharing <paramref name="categories"/> with <paramref name="parties"/>.
    /// </summary>
    public static async Task<Guid> ActiveCaseAsync(this CaseScenario scenario, IEnumerable<string> members, Party[] parties, InformationCategory[] categories)
    {
        var caseId = await scenario.OpenCaseAsync();
        foreach (var member in members) await scenario.AddMemberAsync(caseId, member);
        await scenario.GiveValidConsentAsync(caseId, parties, categories);
        return caseId;
    }

    /// <summary><see cref="ConsentSteps.GiveValidConsentAsync"/> with the domain's names of parties and categories.</summary>
    public static Task<Guid> GiveValidConsentAsync(this CaseScenario scenario, Guid caseId, Party[] parties, InformationCategory[] categories) =>
        scenario.GiveValidConsentAsync(caseId, [.. parties.Select(p => p.ToString())], [.. categories.Select(c => c.ToString())]);

    /// <summary>Holds a network meeting and adopts the action plan at it, which schedules the first follow-up.</summary>
    public static async Task AdoptActionPlanAsync(this CaseScenario scenario, SspfApiFactory factory, Guid caseId)
    {
        var meetingId = await scenario.HeldMeetingAsync(factory, caseId, "Network", "Protokollutkast");
        var plan = await (await scenario.As("samordnare")).Http.PutAsJsonAsync($"/api/cases/{caseId}/action-plan",
            new { meetingId, goals = "Ungdomen går i skolan varje dag." });
        await plan.EnsureStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>A new Polis user in the same police unit as polis@falkenberg, created through the admin API; returns the name for <see cref="CaseScenario.As"/>.</summary>
    public static async Task<string> AnotherPoliceOfficerAsync(this CaseScenario scenario)
    {
        var unitId = (await (await (await scenario.As("polis")).Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var name = "polis-" + Guid.NewGuid().ToString("N")[..8];
        var response = await (await scenario.As("admin")).Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = SspfClient.Demo(name), displayName = "Annan Polis", unitId, roles = new[] { "Polis" }, initialPassword = SspfClient.DemoPassword,
        });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        await Admin.AdminSteps.ApproveAsync(await scenario.As(Admin.AdminSteps.SecondAdmin), response);
        return name;
    }
}
