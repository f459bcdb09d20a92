using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Consents;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Api.Tests.Meetings;

namespace SspfSamordning.Api.Tests.Decisions;

/// <summary>Arranges the issue-16 decision tests through the real endpoints only.</summary>
public static class DecisionSteps
{
    public static readonly string[] AllCategories = ["Basic", "School", "SocialServicesSspfNotes", "Police"];

    /// <summary>An Active case whose team is skola, polis, socialsekreterare and fritid, with a consent sharing <paramref name="categories"/> with every party.</summary>
    public static async Task<Guid> ActiveCaseAsync(this CaseScenario scenario, string[]? categories = null)
    {
        var caseId = await scenario.OpenCaseAsync();
        foreach (var member in new[] { "skola", "polis", "socialsekreterare", "fritid" }) await scenario.AddMemberAsync(caseId, member);
        await scenario.GiveValidConsentAsync(caseId, ConsentSteps.AllParties, categories ?? AllCategories);
        return caseId;
    }

    /// <summary>Holds a network meeting and adopts the action plan (which schedules the first follow-up); returns the meeting.</summary>
    public static async Task<Guid> AdoptActionPlanAsync(this CaseScenario scenario, SspfApiFactory factory, Guid caseId, string goals = "Ungdomen går i skolan varje dag.")
    {
        var meetingId = await scenario.HeldMeetingAsync(factory, caseId, "Network", "Protokollutkast");
        await (await scenario.PutActionPlanAsync(caseId, meetingId, goals)).EnsureStatusAsync(HttpStatusCode.OK);
        return meetingId;
    }

    public static async Task<HttpResponseMessage> PutActionPlanAsync(this CaseScenario scenario, Guid caseId, Guid meetingId, string goals) =>
        await (await scenario.As("samordnare")).Http.PutAsJsonAsync($"/api/cases/{caseId}/action-plan", new { meetingId, goals });

    /// <summary>The coordinator proposes an insats owned by <paramref name="owner"/> with <paramref name="responsible"/> (a demo user) responsible.</summary>
    public static async Task<Guid> ProposeAsync(this CaseScenario scenario, Guid caseId, string owner, string responsible)
    {
        var response = await scenario.ProposeResponseAsync(caseId, new { type = "Mentor", ownerParty = owner, responsibleUserId = await scenario.UserIdAsync(responsible), goal = "Stöd varje vecka." });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> ProposeResponseAsync(this CaseScenario scenario, Guid caseId, object body) =>
        await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/interventions", body);

    public static async Task<HttpResponseMessage> InterventionTransitionAsync(this CaseScenario scenario, Guid caseId, Guid interventionId, object body, string actor = "samordnare") =>
        await (await scenario.As(actor)).Http.PostAsJsonAsync($"/api/cases/{caseId}/interventions/{interventionId}/transitions", body);

    /// <summary>The case's history as <paramref name="name"/> sees it (first 100 events).</summary>
    public static async Task<List<JsonElement>> HistoryAsync(this CaseScenario scenario, Guid caseId, string name = "samordnare")
    {
        var response = await (await scenario.As(name)).Http.GetAsync($"/api/cases/{caseId}/history?pageSize=100");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    /// <summary>Items of a list endpoint (first page of 100) as <paramref name="name"/>.</summary>
    public static async Task<List<JsonElement>> ItemsAsync(this CaseScenario scenario, string url, string name = "samordnare")
    {
        var response = await (await scenario.As(name)).Http.GetAsync($"{url}?pageSize=100");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
