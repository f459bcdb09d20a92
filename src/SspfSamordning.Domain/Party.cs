namespace SspfSamordning.Domain;

/// <summary>An aktör: Skola, Socialtjänst, Polis, Fritid, Region or Annan.</summary>
public enum Party
{
    Skola,
    Socialtjanst,
    Polis,
    Fritid,
    Region,
    Annan,
}

/// <summary>Information categories that a consent or a disclosure can share.</summary>
public enum InformationCategory
{
    Basic,
    School,
    SocialServicesSspfNotes,
    Police,

    /// <summary>Concern-report content and investigation notes: socialtjänst only, never shared by consent.</summary>
    SocialServicesInternal,
}

public static class PartyExtensions
{
    public static string SwedishName(this Party party) => party switch
    {
        Party.Skola => "Skolan",
        Party.Socialtjanst => "Socialtjänsten",
        Party.Polis => "Polisen",
        Party.Fritid => "Fritid",
        Party.Region => "Regionen",
        _ => "Annan aktör",
    };

    /// <summary>
    /// The information category of what a party owns in a case (an insats and its own assessment): the school's is School,
    /// socialtjänst's its SSPF notes, the police's Police; anything else's the shared Basic.
    /// </summary>
    public static InformationCategory OwnCategory(this Party party) => party switch
    {
        Party.Skola => InformationCategory.School,
        Party.Socialtjanst => InformationCategory.SocialServicesSspfNotes,
        Party.Polis => InformationCategory.Police,
        _ => InformationCategory.Basic,
    };
}
