using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SspfSamordning.Api.Tests.Infrastructure;

namespace SspfSamordning.Api.Tests.Workflows;

/// <summary>
/// One vocabulary: what <c>GET /api/workflows</c> lists as a workflow's client triggers is exactly what its transitions
/// endpoint accepts, and every one of them is a trigger of the domain's workflow (same name).
/// </summary>
public sealed partial class ClientTriggerTests(SspfApiFactory factory) : IClassFixture<SspfApiFactory>
{
    [Fact]
    public async Task ListedClientTriggers_AreExactlyWhatEachTransitionsEndpointAccepts()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var workflows = (await (await (await scenario.As("samordnare")).Http.GetAsync("/api/workflows?pageSize=50")).JsonAsync())
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, workflows.Count);

        foreach (var workflow in workflows)
        {
            var name = workflow.GetProperty("name").GetString()!;
            var triggers = Strings(workflow, "triggers");
            var clientTriggers = Strings(workflow, "clientTriggers");
            var endpoint = workflow.GetProperty("transitionsEndpoint").GetString()!;
            Assert.NotEmpty(clientTriggers);
            Assert.All(clientTriggers, t => Assert.Contains(t, triggers));
            Assert.StartsWith("POST /api/", endpoint, StringComparison.Ordinal);

            // Fresh ids: an accepted trigger gets past the trigger check (to 404, or to a 400 about another field).
            var path = Placeholder().Replace(endpoint["POST ".Length..], _ => Guid.NewGuid().ToString());
            var client = (await scenario.As(path.StartsWith("/api/concern-reports", StringComparison.Ordinal) || path.Contains("/disclosures/", StringComparison.Ordinal)
                ? "socialsekreterare" : "samordnare")).Http;
            foreach (var trigger in triggers)
            {
                var response = await client.PostAsJsonAsync(path, new { trigger }, TestContext.Current.CancellationToken);
                var refusedAsTrigger = response.StatusCode == HttpStatusCode.BadRequest
                    && (await response.JsonAsync()).TryGetProperty("errors", out var errors) && errors.TryGetProperty("trigger", out _);
                Assert.True(clientTriggers.Contains(trigger) != refusedAsTrigger,
                    $"{name}: {endpoint} {(refusedAsTrigger ? "refuses" : "accepts")} {trigger}, but /api/workflows " +
                    $"{(clientTriggers.Contains(trigger) ? "lists" : "does not list")} it as a client trigger ({(int)response.StatusCode}).");
                Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task TheKnownCases_AreOneVocabulary()
    {
        var scenario = await CaseScenario.CreateAsync(factory);
        var workflows = (await (await (await scenario.As("polis")).Http.GetAsync("/api/workflows?pageSize=50")).JsonAsync())
            .GetProperty("items").EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!);

        // The case's RequestConsent is a trigger of the workflow, fired by requesting a consent, not by its transitions endpoint.
        Assert.Contains("RequestConsent", Strings(workflows["Case"], "triggers"));
        Assert.Equal(["Close", "Reopen"], Strings(workflows["Case"], "clientTriggers"));
        // The consent's NarrowScope is accepted by the endpoint and is a trigger of the workflow.
        Assert.Equal(["Withdraw", "NarrowScope"], Strings(workflows["Consent"], "clientTriggers"));
        Assert.Contains(workflows["Consent"].GetProperty("transitions").EnumerateArray(),
            t => t.GetProperty("trigger").GetString() == "NarrowScope" && t.GetProperty("from").GetString() == "Valid" && t.GetProperty("to").GetString() == "Valid");
        // The meeting's Schedule (Rescheduled → Scheduled) is what a client sends, under the same name.
        Assert.Equal(["Hold", "ApproveMinutes", "Cancel", "Reschedule", "Schedule"], Strings(workflows["Meeting"], "clientTriggers"));
        Assert.Contains("RecordReporterFeedback", Strings(workflows["ConcernReport"], "clientTriggers"));
        Assert.DoesNotContain("MarkOverdue", Strings(workflows["FollowUp"], "clientTriggers"));
    }

    private static List<string> Strings(JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    [GeneratedRegex(@"\{[A-Za-z]+\}")]
    private static partial Regex Placeholder();
}
