namespace SspfSamordning.Api.Features.Consents;

/// <summary>The Consents endpoints under /api/cases/{id}.</summary>
public static class ConsentEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
    }
}
