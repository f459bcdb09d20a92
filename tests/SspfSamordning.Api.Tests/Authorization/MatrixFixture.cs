using System.Net;
using System.Net.Http.Json;
using SspfSamordning.Api.Tests.Infrastructure;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Authorization;

/// <summary>A case arranged for one relation, with the ids the matrix substitutes into the route patterns (null: no such item).</summary>
public sealed record ArrangedCase(
    Relation Relation, Guid CaseId, string Personnummer, Guid CoordinatorId, Guid? ConsentId, Guid MeetingId,
    Guid? InterventionId, Guid? FollowUpId, Guid? DisclosureId);

/// <summary>
/// One app of its own (the clock jumps a year) with one case per relation, arranged through the real endpoints, and one
/// signed-in client per caller. Cases whose consent must expire are arranged first; then the clock jumps 13 months and
/// everyone signs in again (tokens last 10 minutes), and the other cases are arranged. Nothing moves the clock afterwards.
/// </summary>
public sealed class MatrixFixture : IAsyncLifetime
{
    private static readonly Party[] AllParties = [Party.Skola, Party.Socialtjanst, Party.Polis, Party.Fritid];
    private static readonly InformationCategory[] Scope = [InformationCategory.Basic, InformationCategory.School, InformationCategory.Police];
    private static readonly Party[] NarrowParties = [Party.Skola, Party.Socialtjanst];
    private static readonly InformationCategory[] NarrowCategories = [InformationCategory.Basic, InformationCategory.School];
    private static readonly InformationCategory[] Disclosed = [InformationCategory.Basic, InformationCategory.Police];

    /// <summary>Every relation of the matrix; "scope without" leaves out polis and fritid and keeps skola.</summary>
    public static readonly IReadOnlyList<Relation> Relations =
    [
        new("NotAMember", "falkenberg", false, new("Valid", AllParties, Scope), null),
        new("MemberWithoutConsent", "falkenberg", true, null, null),
        new("MemberConsentPartiallyGiven", "falkenberg", true, new("PartiallyGiven", AllParties, Scope), null),
        new("MemberConsentValid", "falkenberg", true, new("Valid", AllParties, Scope), null),
        new("MemberConsentScopeWithoutPolisAndFritid", "falkenberg", true, new("Valid", NarrowParties, NarrowCategories), null),
        new("MemberConsentWithdrawn", "falkenberg", true, new("Withdrawn", AllParties, Scope), null),
        new("MemberConsentExpired", "falkenberg", true, new("Expired", AllParties, Scope), null),
        new("DisclosureActive", "falkenberg", true, new("Valid", NarrowParties, NarrowCategories), new(true, Disclosed)),
        new("DisclosureRevoked", "falkenberg", true, new("Valid", NarrowParties, NarrowCategories), new(false, Disclosed)),
        new("DisclosureAndConsentEndedByTime", "falkenberg", true, new("Expired", NarrowParties, NarrowCategories), new(false, Disclosed)),
        new("OtherMunicipality", "falkoping", false, new("Valid", AllParties, Scope), null),
    ];

    private static readonly Caller SocialWorker = Caller.All.Single(c => c.Role == AccessRules.Socialsekreterare);

    private readonly Dictionary<string, SspfClient> clients = new();
    private readonly Dictionary<string, Guid> userIds = new();

    public SspfApiFactory Factory { get; } = new();
    public IReadOnlyDictionary<string, ArrangedCase> Cases => cases;
    private readonly Dictionary<string, ArrangedCase> cases = new();

    /// <summary>The second police officer of Falkenberg: a member of every Falkenberg case, receiver of its background disclosure.</summary>
    public Guid OtherPoliceOfficerId { get; private set; }

    public SspfClient Client(Caller who) => clients[who.Label];

    public async ValueTask InitializeAsync()
    {
        // Enrol everyone's second factor first: a later sign-in then takes one TOTP step (30 s of the clock) instead of two,
        // and every token is still fresh (10 minutes) when the arrangement ends.
        foreach (var who in Caller.All) await Factory.CreateSspfClient().EnrolAsync(SspfClient.Demo(who.Name, who.Municipality));
        var before = await SignInEveryoneAsync();
        OtherPoliceOfficerId = await CreateOtherPoliceOfficerAsync();
        await ArrangeAsync(before, Relations.Where(r => r.EndsWithTime));
        Factory.Clock.Advance(TimeSpan.FromDays(400));
        await ArrangeAsync(await SignInEveryoneAsync(), Relations.Where(r => !r.EndsWithTime));
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    private async Task<CaseScenario> SignInEveryoneAsync()
    {
        var scenario = await CaseScenario.CreateAsync(Factory);
        foreach (var who in Caller.All)
        {
            clients[who.Label] = await scenario.As(who.Name, who.Municipality);
            userIds[who.Label] = await scenario.UserIdAsync(who.Name, who.Municipality);
        }
        return scenario;
    }

    private async Task<Guid> CreateOtherPoliceOfficerAsync()
    {
        var unitId = (await (await clients["polis"].Http.GetAsync("/api/me")).JsonAsync()).GetProperty("unit").GetProperty("id").GetGuid();
        var response = await clients["admin"].Http.PostAsJsonAsync("/api/admin/users", new
        {
            email = SspfClient.Demo("polis-matris"), displayName = "Matris Polis", unitId, roles = new[] { "Polis" }, initialPassword = SspfClient.DemoPassword,
        });
        await response.EnsureStatusAsync(HttpStatusCode.Created);
        var approver = Factory.CreateSspfClient();
        await approver.SignInAsync(SspfClient.Demo(Admin.AdminSteps.SecondAdmin));
        return (await Admin.AdminSteps.ApproveAsync(approver, response)).GetProperty("id").GetGuid();
    }

    /// <summary>Opens and fills every case, then moves the clock a minute once so that all their network meetings can be held.</summary>
    private async Task ArrangeAsync(CaseScenario scenario, IEnumerable<Relation> relations)
    {
        var opened = new List<(Relation Relation, Guid CaseId, string Personnummer, Guid? ConsentId, Guid MeetingId)>();
        foreach (var relation in relations)
        {
            var personnummer = TestPersonnummer.AgedOn(12, Factory.Clock.GetUtcNow());
            var response = await scenario.OpenCaseResponseAsync(personnummer, municipality: relation.Municipality);
            await response.EnsureStatusAsync(HttpStatusCode.Created);
            var caseId = (await response.JsonAsync()).GetProperty("id").GetGuid();
            var consentId = await ArrangeTeamAndConsentAsync(relation, caseId);
            var kind = relation.WasActive ? "Network" : "Mapping";
            var meeting = await PostAsync(Coordinator(relation), $"/api/cases/{caseId}/meetings",
                new { kind, startsAt = Factory.Clock.GetUtcNow().AddMinutes(1), location = "Rådhuset", inviteeUserIds = Array.Empty<Guid>() });
            opened.Add((relation, caseId, personnummer, consentId, meeting));
        }
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        foreach (var (relation, caseId, personnummer, consentId, meetingId) in opened)
            cases[relation.Name] = await CompleteAsync(relation, caseId, personnummer, consentId, meetingId);
    }

    private async Task<Guid?> ArrangeTeamAndConsentAsync(Relation relation, Guid caseId)
    {
        var coordinator = Coordinator(relation);
        // The coordinator is a member too: DELETE .../members/{userId} removes and re-adds it without touching the callers.
        List<Guid> team = [userIds[coordinator.Label]];
        if (relation.Municipality == "falkenberg") team.Add(OtherPoliceOfficerId);
        if (relation.CallersAreMembers) team.AddRange(Caller.TeamMembers.Select(name => userIds[name]));
        foreach (var userId in team)
            await PostAsync(coordinator, $"/api/cases/{caseId}/members", new { userId }, HttpStatusCode.Created);
        if (relation.Consent is not { } consent) return null;

        var consentId = await PostAsync(coordinator, $"/api/cases/{caseId}/consents",
            new { parties = AllParties.Select(p => p.ToString()), categories = Scope.Select(c => c.ToString()) }, HttpStatusCode.Created);
        var guardians = await GuardiansAsync(coordinator, caseId);
        foreach (var guardianId in consent.State == "PartiallyGiven" ? guardians.Take(1) : guardians)
            await PostAsync(coordinator, $"/api/cases/{caseId}/consents/{consentId}/answers",
                new { signatory = "Guardian", guardianId, given = true, form = "Written", documentRef = "Blankett 1", obtainedBy = "Socialtjanst" },
                HttpStatusCode.OK);
        return consentId;
    }

    /// <summary>Holds the meeting; on a case that was active adopts the action plan and proposes a police insats; adds the disclosures; ends in the relation's consent.</summary>
    private async Task<ArrangedCase> CompleteAsync(Relation relation, Guid caseId, string personnummer, Guid? consentId, Guid meetingId)
    {
        var coordinator = Coordinator(relation);
        await PostAsync(coordinator, $"/api/cases/{caseId}/meetings/{meetingId}/transitions",
            new { trigger = "Hold", attendeeUserIds = Array.Empty<Guid>(), youthAttended = true, attendingGuardianIds = Array.Empty<Guid>(), draftMinutes = "Utkast" },
            HttpStatusCode.OK);
        Guid? interventionId = null, followUpId = null, disclosureId = null;
        if (relation.WasActive)
        {
            var plan = await Client(coordinator).Http.PutAsJsonAsync($"/api/cases/{caseId}/action-plan", new { meetingId, goals = "Skolgång varje dag." });
            await plan.EnsureStatusAsync(HttpStatusCode.OK);
            interventionId = await PostAsync(coordinator, $"/api/cases/{caseId}/interventions",
                new { type = "Mentor", ownerParty = "Polis", responsibleUserId = userIds[coordinator.Label], goal = "En vuxen att prata med." },
                HttpStatusCode.Created);
            var detail = await (await Client(coordinator).Http.GetAsync($"/api/cases/{caseId}")).JsonAsync();
            followUpId = detail.GetProperty("followUps")[0].GetProperty("id").GetGuid();
        }
        if (relation.CallersAreMembers)
        {
            // In the background: a disclosure to the other police officer, already revoked (seen by socialtjänst only).
            disclosureId = await DiscloseAsync(caseId, OtherPoliceOfficerId, [InformationCategory.Basic]);
            await RevokeAsync(caseId, disclosureId.Value);
        }
        if (relation.PolisDisclosure is { } disclosure)
        {
            var toPolis = await DiscloseAsync(caseId, userIds["polis"], disclosure.Categories);
            if (!disclosure.Active && !relation.EndsWithTime) await RevokeAsync(caseId, toPolis);
        }
        if (relation.Consent is { } consent && consentId is { } id)
            await EndInAsync(relation, caseId, id, consent);
        return new ArrangedCase(relation, caseId, personnummer, userIds[coordinator.Label], consentId, meetingId, interventionId, followUpId, disclosureId);
    }

    private async Task EndInAsync(Relation relation, Guid caseId, Guid consentId, ConsentFact consent)
    {
        var guardianId = (await GuardiansAsync(Coordinator(relation), caseId))[0];
        object? body = consent.State == "Withdrawn"
            ? new { trigger = "Withdraw", signatory = "Guardian", guardianId, reason = "Vill inte längre." }
            : consent.Parties.Length < AllParties.Length
                ? new { trigger = "NarrowScope", signatory = "Guardian", guardianId, parties = consent.Parties.Select(p => p.ToString()), categories = consent.Categories.Select(c => c.ToString()) }
                : null;
        if (body is null) return;
        var response = await Client(Coordinator(relation)).Http.PostAsJsonAsync($"/api/cases/{caseId}/consents/{consentId}/transitions", body);
        await response.EnsureStatusAsync(HttpStatusCode.OK);
    }

    private async Task<Guid> DiscloseAsync(Guid caseId, Guid receivingPoliceUserId, InformationCategory[] categories) =>
        await PostAsync(SocialWorker, $"/api/cases/{caseId}/disclosures", new
        {
            legalBasis = "OSL 10 kap. 18 a §", justification = "Risk för brottslig verksamhet.", categories = categories.Select(c => c.ToString()),
            decisionMaker = "Enhetschef", receivingPoliceUserId, endsAt = Factory.Clock.GetUtcNow().AddDays(30),
        }, HttpStatusCode.Created);

    private async Task RevokeAsync(Guid caseId, Guid disclosureId)
    {
        var response = await Client(SocialWorker).Http.PostAsJsonAsync($"/api/cases/{caseId}/disclosures/{disclosureId}/transitions",
            new { trigger = "Revoke", reason = "Behovet har upphört." });
        await response.EnsureStatusAsync(HttpStatusCode.OK);
    }

    private async Task<IReadOnlyList<Guid>> GuardiansAsync(Caller coordinator, Guid caseId) =>
        [.. (await (await Client(coordinator).Http.GetAsync($"/api/cases/{caseId}")).JsonAsync()).GetProperty("guardians").EnumerateArray().Select(g => g.GetProperty("id").GetGuid())];

    private static Caller Coordinator(Relation relation) => Caller.All.Single(c => c.Role == AccessRules.Samordnare && c.Municipality == relation.Municipality);

    /// <summary>POSTs as <paramref name="who"/>, asserts the status and returns the new id (Guid.Empty when the answer has none).</summary>
    private async Task<Guid> PostAsync(Caller who, string url, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await Client(who).Http.PostAsJsonAsync(url, body);
        await response.EnsureStatusAsync(expected);
        var json = await response.JsonAsync();
        return json.TryGetProperty("id", out var id) ? id.GetGuid() : Guid.Empty;
    }
}
