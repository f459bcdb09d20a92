namespace SspfSamordning.Api.Features.Interventions;

/// <summary>The Interventions endpoints under /api/cases/{id}.</summary>
public static class InterventionEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
    }
}
