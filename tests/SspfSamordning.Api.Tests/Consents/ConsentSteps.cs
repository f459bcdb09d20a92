using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Consents;

/// <summary>Drives consent through the real endpoints, for the consent and the meeting tests.</summary>
public static class ConsentSteps
{
    public static readonly string[] AllParties = ["Skola", "Socialtjanst", "Polis", "Fritid"];

    /// <summary>The case's guardians with custody, in the order they were registered.</summary>
    public static async Task<IReadOnlyList<Guid>> GuardianIdsAsync(this CaseScenario scenario, Guid caseId) =>
        [.. (await scenario.GetCaseAsync(caseId)).GetProperty("guardians").EnumerateArray().Select(g => g.GetProperty("id").GetGuid())];

    public static async Task<HttpResponseMessage> RequestConsentResponseAsync(this CaseScenario scenario, Guid caseId, string[]? parties = null, string[]? categories = null) =>
        await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/consents",
            new { parties = parties ?? AllParties, categories = categories ?? ["Basic", "School"] });

    public static async Task<Guid> RequestConsentAsync(this CaseScenario scenario, Guid caseId, string[]? parties = null, string[]? categories = null)
    {
        var response = await scenario.RequestConsentResponseAsync(caseId, parties, categories);
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>A written answer obtained by socialtjänst, recorded by <paramref name="recorder"/>.</summary>
    public static async Task<HttpResponseMessage> AnswerAsync(
        this CaseScenario scenario, Guid caseId, Guid consentId, string signatory, Guid? guardianId = null, bool given = true, string recorder = "samordnare") =>
        await (await scenario.As(recorder)).Http.PostAsJsonAsync($"/api/cases/{caseId}/consents/{consentId}/answers",
            new { signatory, guardianId, given, form = "Written", documentRef = "Blankett 2026-17", obtainedBy = "Socialtjanst" });

    /// <summary>Records an answer, asserting that it was accepted and where it left the consent and the case.</summary>
    public static async Task<JsonElement> ExpectAnswerAsync(
        this CaseScenario scenario, Guid caseId, Guid consentId, string signatory, Guid? guardianId, string consentState, string caseState,
        bool given = true, string recorder = "samordnare")
    {
        var response = await scenario.AnswerAsync(caseId, consentId, signatory, guardianId, given, recorder);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        var consent = await response.JsonAsync();
        Assert.Equal(consentState, consent.State());
        Assert.Equal(caseState, await scenario.CaseStateAsync(caseId));
        return consent;
    }

    /// <summary>Asserts that nothing was recorded on the consent.</summary>
    public static async Task AssertUnansweredAsync(this CaseScenario scenario, Guid caseId, Guid consentId)
    {
        var consent = await scenario.GetConsentAsync(caseId, consentId);
        Assert.Equal("Requested", consent.State());
        Assert.Equal(0, consent.GetProperty("answers").GetArrayLength());
    }

    /// <summary>Requests consent for a youth under 15 and has both guardians give it: the consent is Valid, the case Active.</summary>
    public static async Task<Guid> GiveValidConsentAsync(this CaseScenario scenario, Guid caseId, string[]? parties = null, string[]? categories = null)
    {
        var consentId = await scenario.RequestConsentAsync(caseId, parties, categories);
        foreach (var guardianId in await scenario.GuardianIdsAsync(caseId))
            await (await scenario.AnswerAsync(caseId, consentId, "Guardian", guardianId)).EnsureStatusAsync(HttpStatusCode.OK);
        return consentId;
    }

    /// <summary>Requests consent for a youth of 18 or more, who alone gives it: Valid, the case Active.</summary>
    public static async Task<Guid> GiveAdultConsentAsync(this CaseScenario scenario, Guid caseId)
    {
        var consentId = await scenario.RequestConsentAsync(caseId);
        await (await scenario.AnswerAsync(caseId, consentId, "Youth")).EnsureStatusAsync(HttpStatusCode.OK);
        return consentId;
    }

    /// <summary>POST .../consents/{consentId}/transitions as the coordinator.</summary>
    public static async Task<HttpResponseMessage> ConsentTransitionAsync(this CaseScenario scenario, Guid caseId, Guid consentId, object body) =>
        await (await scenario.As("samordnare")).Http.PostAsJsonAsync($"/api/cases/{caseId}/consents/{consentId}/transitions", body);

    public static async Task<JsonElement> GetConsentAsync(this CaseScenario scenario, Guid caseId, Guid consentId)
    {
        var response = await (await scenario.As("samordnare")).Http.GetAsync($"/api/cases/{caseId}/consents/{consentId}");
        await response.EnsureStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    public static async Task<string> CaseStateAsync(this CaseScenario scenario, Guid caseId) =>
        (await scenario.GetCaseAsync(caseId)).GetProperty("state").GetString()!;

    public static string State(this JsonElement element) => element.GetProperty("state").GetString()!;

    public static IReadOnlyList<string> Strings(this JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Asserts a 409 from a broken domain rule with its code.</summary>
    public static async Task<JsonElement> EnsureRuleAsync(this HttpResponseMessage response, string code)
    {
        await response.EnsureStatusAsync(HttpStatusCode.Conflict);
        var problem = await response.JsonAsync();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    /// <summary>Asserts a 400 that names exactly <paramref name="fields"/>.</summary>
    public static async Task<JsonElement> EnsureFieldErrorsAsync(this HttpResponseMessage response, params string[] fields)
    {
        await response.EnsureStatusAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(fields.Order(), errors.EnumerateObject().Select(e => e.Name).Order());
        return errors;
    }
}
