namespace SspfSamordning.Api.Features.Meetings;

/// <summary>The Meetings endpoints under /api/cases/{id}.</summary>
public static class MeetingEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
    }
}
