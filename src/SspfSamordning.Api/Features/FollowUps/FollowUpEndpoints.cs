namespace SspfSamordning.Api.Features.FollowUps;

/// <summary>The FollowUps endpoints under /api/cases/{id}.</summary>
public static class FollowUpEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
    }
}
