using System.Net;
using System.Text.Json;

namespace SspfSamordning.Api.Tests.Audit;

/// <summary>
/// What one call must leave in the access log (security.md, "Audit"), written from the rules and not from the code:
/// a refusal (403, 404) → one Refused event; a successful read of case data → one Read, or one List/Search event per
/// case of the answer; a successful change → one Change plus one Transition per history row it added (nothing when it
/// changed nothing: a repeated value); anything else
/// (400, 409: nothing read, nothing changed) → nothing.
/// </summary>
public static class ExpectedAudit
{
    public static List<LoggedEvent> ForCaseCall(string key, Guid caseId, HttpStatusCode status, string body, long transitions, bool caseSaved)
    {
        Guid? routeCase = key.Contains("{id:guid}", StringComparison.Ordinal) ? caseId : null;
        if (status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound) return [Refused(routeCase)];
        if ((int)status is < 200 or >= 300) return [];
        if (key == "GET /api/cases/") return Listed("List", body);
        if (key == "POST /api/cases/search-by-personnummer") return Listed("Search", body);
        if (key.StartsWith("GET ", StringComparison.Ordinal)) return [new("Read", "Allowed", caseId)];
        if (!caseSaved) return [];
        return [new("Change", "Allowed", caseId), .. Enumerable.Repeat(new LoggedEvent("Transition", "Allowed", caseId), (int)transitions)];
    }

    public static LoggedEvent Refused(Guid? caseId = null) => new("Refused", "Refused", caseId);

    /// <summary>One event per item of a paged answer, for the case it is (a concern report: the case it is linked to, none here).</summary>
    public static List<LoggedEvent> Listed(string action, string body, bool withCase = true) =>
    [
        .. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => new LoggedEvent(action, "Allowed", withCase ? i.GetProperty("id").GetGuid() : null)),
    ];

    /// <summary>GET /api/me/tasks: one List event per case named, then one per concern report named.</summary>
    public static List<LoggedEvent> ListedTasks(string body)
    {
        var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToList();
        var cases = items.Where(i => i.GetProperty("caseId").ValueKind != JsonValueKind.Null).Select(i => i.GetProperty("caseId").GetGuid()).Distinct();
        var reports = items.Where(i => i.GetProperty("caseId").ValueKind == JsonValueKind.Null).Select(i => i.GetProperty("concernReportId").GetGuid()).Distinct();
        return [.. cases.Select(c => new LoggedEvent("List", "Allowed", c)), .. reports.Select(_ => new LoggedEvent("List", "Allowed", null))];
    }

    /// <summary>
    /// Null when <paramref name="actual"/> is exactly <paramref name="expected"/> — the same events, and each case's (and
    /// the case-less ones) in the same order; else what differs. Events of different cases may lie in different stripes of
    /// the log (AuditChain), which are not ordered among themselves, so their order across cases is not compared.
    /// </summary>
    public static string? Compare(IReadOnlyList<LoggedEvent> expected, IReadOnlyList<LoggedEvent> actual) =>
        expected.Count == actual.Count && expected.GroupBy(e => e.CaseId).All(g => g.SequenceEqual(actual.Where(a => a.CaseId == g.Key)))
            ? null : $"logged [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]";
}
