namespace SspfSamordning.Api.Features.Meetings;

/// <summary>The Meetings endpoints (and the action plan adopted at one) under /api/cases/{id}.</summary>
public static class MeetingEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
        ScheduleMeeting.Map(cases);
        ListMeetings.Map(cases);
        GetMeeting.Map(cases);
        MeetingTransitions.Map(cases);
        UpdateMinutes.Map(cases);
        SetActionPlan.Map(cases);
    }
}
