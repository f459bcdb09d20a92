using System.Net;
using System.Text.Json;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Authorization;

/// <summary>What a call should answer: an exact status, or (null) "admitted" — anything but 401, 403, 404 and 5xx.</summary>
public sealed record Expected(HttpStatusCode? Status)
{
    public static readonly Expected Admitted = new((HttpStatusCode?)null);
    public static readonly Expected Ok = new(HttpStatusCode.OK);
    public static readonly Expected Forbidden = new(HttpStatusCode.Forbidden);
    public static readonly Expected NotFound = new(HttpStatusCode.NotFound);

    public bool Matches(HttpStatusCode actual) => Status is { } status
        ? actual == status
        : actual is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound) && (int)actual < 500;

    public override string ToString() => Status is { } status ? $"{(int)status}" : "admitted (not 401/403/404/5xx)";
}

/// <summary>
/// How to call one endpoint of the matrix and what it must answer. <see cref="Body"/> is a minimal body that passes the
/// request validation (which comes before the visibility check) and, for those admitted, leaves the case as arranged:
/// it breaks a domain rule (400/409) or repeats what is already so. <see cref="Check"/> looks into a 200 answer.
/// </summary>
public sealed record Probe(
    Func<ArrangedCase, object?> Body,
    Func<Caller, ArrangedCase, Expected> Expect,
    Func<Caller, ArrangedCase, JsonElement, string?>? Check = null);

/// <summary>
/// Every endpoint under /api/cases, keyed by "METHOD route pattern" exactly as the endpoint data source names it.
/// An endpoint missing here fails the matrix, so a new endpoint cannot escape it.
/// </summary>
public static class CaseEndpointTable
{
    private static readonly string[] Coordinator = [AccessRules.Samordnare];
    private static readonly string[] ConsentRecorders = [AccessRules.Samordnare, AccessRules.Socialsekreterare];
    private static readonly string[] SocialServices = [AccessRules.Socialsekreterare];
    private static readonly DateTimeOffset Past = new(2020, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly Func<ArrangedCase, object?> NoBody = _ => null;
    private static readonly Func<IReadOnlySet<InformationCategory>, bool> Always = _ => true;
    private static readonly Func<IReadOnlySet<InformationCategory>, bool> Basic = shared => shared.Contains(InformationCategory.Basic);

    public static readonly IReadOnlyDictionary<string, Probe> Probes = new Dictionary<string, Probe>
    {
        ["GET /api/cases/"] = new(NoBody, (who, _) => Listed(who), ListsTheCase),
        ["POST /api/cases/search-by-personnummer"] = new(a => new { personnummer = a.Personnummer }, (who, _) => Listed(who), ListsTheCase),
        ["POST /api/cases/"] = new(_ => new { }, (who, _) => who.Role == AccessRules.Samordnare ? Expected.Admitted : Expected.Forbidden),

        ["GET /api/cases/{id:guid}"] = new(NoBody, (who, a) => Read(who, a, Always), ShowsTheSections),
        ["GET /api/cases/{id:guid}/history"] = new(NoBody, (who, a) => Read(who, a, Always)),
        ["POST /api/cases/{id:guid}/transitions"] = new(_ => new { trigger = "Reopen" }, (who, a) => Write(who, a, Coordinator)),
        ["POST /api/cases/{id:guid}/members"] = new(_ => new { userId = Guid.NewGuid() }, (who, a) => Write(who, a, Coordinator)),
        ["DELETE /api/cases/{id:guid}/members/{userId:guid}"] = new(NoBody, (who, a) => Write(who, a, Coordinator)),

        ["GET /api/cases/{id:guid}/consents"] = new(NoBody, (who, a) => Read(who, a, Basic)),
        ["GET /api/cases/{id:guid}/consents/{consentId:guid}"] = new(NoBody, (who, a) => ReadItem(who, a, Basic, a.ConsentId)),
        ["POST /api/cases/{id:guid}/consents"] = new(_ => new { parties = new[] { "Skola" }, categories = new[] { "SocialServicesInternal" } },
            (who, a) => Write(who, a, Coordinator)),
        ["POST /api/cases/{id:guid}/consents/{consentId:guid}/answers"] = new(
            _ => new { signatory = "Youth", given = true, form = "Written", documentRef = "Blankett 9", obtainedBy = "Socialtjanst" },
            (who, a) => WriteItem(who, a, ConsentRecorders, a.ConsentId)),
        ["POST /api/cases/{id:guid}/consents/{consentId:guid}/transitions"] = new(_ => new { trigger = "Withdraw", signatory = "Youth" },
            (who, a) => WriteItem(who, a, ConsentRecorders, a.ConsentId)),

        ["GET /api/cases/{id:guid}/meetings"] = new(NoBody, (who, a) => Read(who, a, Basic)),
        ["GET /api/cases/{id:guid}/meetings/{meetingId:guid}"] = new(NoBody, (who, a) => Read(who, a, Basic)),
        ["POST /api/cases/{id:guid}/meetings"] = new(_ => new { kind = "Mapping", startsAt = Past, location = "Rådhuset", inviteeUserIds = Array.Empty<Guid>() },
            (who, a) => Write(who, a, Coordinator)),
        ["POST /api/cases/{id:guid}/meetings/{meetingId:guid}/transitions"] = new(_ => new { trigger = "Reschedule", startsAt = Past },
            (who, a) => Write(who, a, Coordinator)),
        ["PUT /api/cases/{id:guid}/meetings/{meetingId:guid}/minutes"] = new(_ => new { minutes = "Utkast" }, (who, a) => Write(who, a, Coordinator)),
        ["PUT /api/cases/{id:guid}/action-plan"] = new(a => new { meetingId = a.MeetingId, goals = "Skolgång varje dag." }, (who, a) => Write(who, a, Coordinator)),

        ["GET /api/cases/{id:guid}/interventions/"] = new(NoBody, (who, a) => Read(who, a, Basic)),
        ["GET /api/cases/{id:guid}/interventions/{interventionId:guid}"] = new(NoBody, (who, a) => ReadItem(who, a, SeesPoliceInsats, a.InterventionId)),
        ["POST /api/cases/{id:guid}/interventions/"] = new(_ => new { type = "Mentor", ownerParty = "Skola", responsibleUserId = Guid.NewGuid(), goal = "Mål" },
            (who, a) => Write(who, a, Coordinator)),
        ["PUT /api/cases/{id:guid}/interventions/{interventionId:guid}/decision-reference"] = new(_ => new { decisionReference = "B-1" },
            (who, a) => WriteItem(who, a, SocialServices, a.InterventionId)),
        ["POST /api/cases/{id:guid}/interventions/{interventionId:guid}/transitions"] = new(_ => new { trigger = "Complete", outcome = "Achieved" },
            MovePoliceInsats),

        ["GET /api/cases/{id:guid}/follow-ups/"] = new(NoBody, (who, a) => Read(who, a, Basic)),
        ["GET /api/cases/{id:guid}/follow-ups/{followUpId:guid}"] = new(NoBody, (who, a) => ReadItem(who, a, Basic, a.FollowUpId)),
        ["POST /api/cases/{id:guid}/follow-ups/{followUpId:guid}/transitions"] = new(
            _ => new { trigger = "Complete", overallAssessment = "Bra.", assessments = new Dictionary<Guid, string> { [Guid.NewGuid()] = "Okänd" } },
            (who, a) => WriteItem(who, a, Coordinator, a.FollowUpId)),

        // Decision 11: the arranged police insats's responsible person is the coordinator; an empty text is refused (400).
        ["PUT /api/cases/{id:guid}/follow-ups/{followUpId:guid}/assessments/{interventionId:guid}"] = new(_ => new { assessment = "" },
            MovePoliceInsats),

        ["GET /api/cases/{id:guid}/disclosures/"] = new(NoBody,
            (who, a) => Read(who, a, _ => AccessRules.SeesDisclosuresNaming(who, a.Relation.PolisDisclosure is null ? "" : "polis"))),
        // The disclosure in the route is the background one, which names the other police officer.
        ["GET /api/cases/{id:guid}/disclosures/{disclosureId:guid}"] = new(NoBody,
            (who, a) => ReadItem(who, a, _ => AccessRules.SeesDisclosuresNaming(who, "polis-matris"), a.DisclosureId)),
        ["POST /api/cases/{id:guid}/disclosures/"] = new(_ => new
            {
                legalBasis = "OSL 10 kap. 18 a §", justification = "Risk.", categories = new[] { "Basic" }, decisionMaker = "Chef",
                receivingPoliceUserId = Guid.NewGuid(), endsAt = Past.AddYears(100),
            },
            (who, a) => Write(who, a, SocialServices)),
        ["POST /api/cases/{id:guid}/disclosures/{disclosureId:guid}/transitions"] = new(_ => new { trigger = "Revoke" },
            (who, a) => WriteItem(who, a, SocialServices, a.DisclosureId)),

        ["POST /api/cases/{id:guid}/concern-reports"] = new(_ => new { concernReportId = Guid.NewGuid() }, (who, a) => Write(who, a, SocialServices)),
    };

    /// <summary>Reads: no case role → 403 (policy); a case or section the caller may not see → 404, all alike.</summary>
    private static Expected Read(Caller who, ArrangedCase a, Func<IReadOnlySet<InformationCategory>, bool> shown)
    {
        if (!AccessRules.CaseRoles.Contains(who.Role)) return Expected.Forbidden;
        return AccessRules.Shared(who, a.Relation) is { } shared && shown(shared) ? Expected.Ok : Expected.NotFound;
    }

    /// <summary>A read of one item: as <see cref="Read"/>, and 404 when the relation has no such item.</summary>
    private static Expected ReadItem(Caller who, ArrangedCase a, Func<IReadOnlySet<InformationCategory>, bool> shown, Guid? item) =>
        Read(who, a, shown) is var read && read == Expected.Ok && item is null ? Expected.NotFound : read;

    /// <summary>Changes: a role the endpoint is not for → 403; a case the caller may not see → 404; else admitted.</summary>
    private static Expected Write(Caller who, ArrangedCase a, string[] roles)
    {
        if (!roles.Contains(who.Role)) return Expected.Forbidden;
        return AccessRules.Shared(who, a.Relation) is null ? Expected.NotFound : Expected.Admitted;
    }

    /// <summary>A change of one item: as <see cref="Write"/>, and 404 when the relation has no such item.</summary>
    private static Expected WriteItem(Caller who, ArrangedCase a, string[] roles, Guid? item) =>
        Write(who, a, roles) is var write && write == Expected.Admitted && item is null ? Expected.NotFound : write;

    /// <summary>The arranged insats is owned by the police: it belongs to the Police category.</summary>
    private static bool SeesPoliceInsats(IReadOnlySet<InformationCategory> shared) =>
        shared.Contains(InformationCategory.Basic) && shared.Contains(InformationCategory.Police);

    /// <summary>An insats is moved by the coordinator or a member of its owner party; others who see it get 403, others 404.</summary>
    private static Expected MovePoliceInsats(Caller who, ArrangedCase a)
    {
        var read = ReadItem(who, a, SeesPoliceInsats, a.InterventionId);
        if (read != Expected.Ok) return read;
        return who.Role == AccessRules.Samordnare || who.Party == Party.Polis ? Expected.Admitted : Expected.Forbidden;
    }

    private static Expected Listed(Caller who) => AccessRules.CaseRoles.Contains(who.Role) ? Expected.Ok : Expected.Forbidden;

    /// <summary>Rule 5: a case the caller may not see is absent from lists and searches.</summary>
    private static string? ListsTheCase(Caller who, ArrangedCase a, JsonElement page)
    {
        var listed = page.GetProperty("items").EnumerateArray().Any(c => c.GetProperty("id").GetGuid() == a.CaseId);
        var expected = AccessRules.Shared(who, a.Relation) is not null;
        return listed == expected ? null : expected ? "the case is missing from the list" : "lists a case it may not see";
    }

    private static readonly string[] OptionalSections = ["guardians", "consents", "meetings", "actionPlan", "interventions", "followUps", "disclosures"];

    /// <summary>The exact set of sections present, and the categories the case says are shared with the caller.</summary>
    private static string? ShowsTheSections(Caller who, ArrangedCase a, JsonElement detail)
    {
        var sections = OptionalSections.Where(s => detail.TryGetProperty(s, out var value) && value.ValueKind != JsonValueKind.Null).Order().ToList();
        var expectedSections = AccessRules.Sections(who, a.Relation)!.Order().ToList();
        var categories = detail.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!).Order().ToList();
        var expectedCategories = AccessRules.Shared(who, a.Relation)!.Select(c => c.ToString()).Order().ToList();
        var problems = new List<string>();
        if (!sections.SequenceEqual(expectedSections))
            problems.Add($"sections [{string.Join(",", sections)}], expected [{string.Join(",", expectedSections)}]");
        if (!categories.SequenceEqual(expectedCategories))
            problems.Add($"categories [{string.Join(",", categories)}], expected [{string.Join(",", expectedCategories)}]");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
