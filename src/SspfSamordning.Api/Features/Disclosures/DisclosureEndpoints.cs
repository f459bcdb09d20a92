namespace SspfSamordning.Api.Features.Disclosures;

/// <summary>The Disclosures endpoints under /api/cases/{id}.</summary>
public static class DisclosureEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
    }
}
