using SspfSamordning.Domain;

namespace SspfSamordning.Api.Tests.Authorization;

/// <summary>A demo user calling the API: who they are, as domain.md describes them.</summary>
public sealed record Caller(string Name, string Municipality, string Role, Party Party)
{
    public string Label => Municipality == "falkenberg" ? Name : $"{Name}@{Municipality}";

    /// <summary>All eight demo roles of Falkenberg, and the coordinator of Falköping (another municipality).</summary>
    public static readonly IReadOnlyList<Caller> All =
    [
        new("samordnare", "falkenberg", "Samordnare", Party.Annan),
        new("socialsekreterare", "falkenberg", "Socialsekreterare", Party.Socialtjanst),
        new("polis", "falkenberg", "Polis", Party.Polis),
        new("skola", "falkenberg", "Skola", Party.Skola),
        new("fritid", "falkenberg", "Fritid", Party.Fritid),
        new("granskare", "falkenberg", "Granskare", Party.Annan),
        new("admin", "falkenberg", "Administratör", Party.Annan),
        new("analytiker", "falkenberg", "Analytiker", Party.Annan),
        new("samordnare", "falkoping", "Samordnare", Party.Annan),
    ];

    /// <summary>The members a case team can have among the callers (everyone who works with cases but the coordinator).</summary>
    public static readonly IReadOnlyList<string> TeamMembers = ["socialsekreterare", "polis", "skola", "fritid"];
}

/// <summary>The consent of an arranged case as it stands when the matrix runs (null state: none was ever requested).</summary>
public sealed record ConsentFact(string State, Party[] Parties, InformationCategory[] Categories);

/// <summary>A disclosure without consent naming the police member "polis", as it stands when the matrix runs.</summary>
public sealed record DisclosureFact(bool Active, InformationCategory[] Categories);

/// <summary>One relation between the callers and an arranged case: the row dimension of the matrix.</summary>
public sealed record Relation(string Name, string Municipality, bool CallersAreMembers, ConsentFact? Consent, DisclosureFact? PolisDisclosure)
{
    /// <summary>Whether a consent was Valid at some point, so that meetings, the action plan, an insats and a follow-up exist.</summary>
    public bool WasActive => Consent?.State is "Valid" or "Withdrawn" or "Expired";

    /// <summary>Arranged before the clock jumps past the consent's validity (12 months) and the disclosure's end.</summary>
    public bool EndsWithTime => Consent?.State == "Expired";
}

/// <summary>
/// The access rules of domain.md ("Access rules", "Disclosure without consent") as one small function, written from
/// the specification and not from the production code: which information categories of a case a caller sees.
/// </summary>
public static class AccessRules
{
    public const string Samordnare = "Samordnare";
    public const string Socialsekreterare = "Socialsekreterare";

    /// <summary>Rule 2: Administratör, Granskare and Analytiker never see case content.</summary>
    public static readonly IReadOnlySet<string> CaseRoles = new HashSet<string> { Samordnare, Socialsekreterare, "Polis", "Skola", "Fritid" };

    public static readonly InformationCategory[] Shareable =
        [InformationCategory.Basic, InformationCategory.School, InformationCategory.SocialServicesSspfNotes, InformationCategory.Police];

    /// <summary>The categories <paramref name="who"/> sees of a case in <paramref name="relation"/>; null when the case does not exist for them.</summary>
    public static IReadOnlySet<InformationCategory>? Shared(Caller who, Relation relation)
    {
        if (!CaseRoles.Contains(who.Role) || who.Municipality != relation.Municipality) return null;
        // Rule 3: the coordinator sees every case of its municipalities, except socialtjänst-internal data.
        if (who.Role == Samordnare) return Shareable.ToHashSet();
        // Rule 4: everyone else only as a member of the case team ...
        if (!relation.CallersAreMembers) return null;
        // ... socialtjänst whatever the consent says (rule 6: internal data too) ...
        if (who.Party == Party.Socialtjanst) return Enum.GetValues<InformationCategory>().ToHashSet();
        // ... others what a Valid consent covering their party shares, or what a disclosure in force names them for.
        var shared = new HashSet<InformationCategory>();
        if (relation.Consent is { State: "Valid" } consent && consent.Parties.Contains(who.Party)) shared.UnionWith(consent.Categories);
        if (relation.PolisDisclosure is { Active: true } disclosure && who.Name == "polis") shared.UnionWith(disclosure.Categories);
        return shared.Count == 0 ? null : shared;
    }

    /// <summary>Disclosures are seen by socialtjänst and by the police member they name; by no one else (not the coordinator).</summary>
    public static bool SeesDisclosuresNaming(Caller who, string receiver) =>
        who.Party == Party.Socialtjanst || who.Name == receiver;

    /// <summary>The optional sections of GET /api/cases/{id} that <paramref name="who"/> is shown (null: the case is not shown).</summary>
    public static IReadOnlySet<string>? Sections(Caller who, Relation relation)
    {
        if (Shared(who, relation) is not { } shared) return null;
        var sections = new HashSet<string>();
        if (shared.Contains(InformationCategory.Basic))
        {
            sections.UnionWith(["guardians", "consents", "meetings", "interventions", "followUps"]);
            if (relation.WasActive) sections.Add("actionPlan");
        }
        if (who.Party == Party.Socialtjanst || (relation.PolisDisclosure is not null && who.Name == "polis")) sections.Add("disclosures");
        return sections;
    }
}
