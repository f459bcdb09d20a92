namespace SspfSamordning.Api.Features.Disclosures;

/// <summary>The Disclosures endpoints under /api/cases/{id}: uppgiftslämnande utan samtycke, socialtjänst only.</summary>
public static class DisclosureEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
        var disclosures = cases.MapGroup("/{id:guid}/disclosures");
        DiscloseWithoutConsent.Map(disclosures);
        ListDisclosures.Map(disclosures);
        GetDisclosure.Map(disclosures);
        DisclosureTransitions.Map(disclosures);
    }
}
