namespace SspfSamordning.Api.Features.FollowUps;

/// <summary>The FollowUps endpoints under /api/cases/{id}. Follow-ups are scheduled by the action plan, never posted.</summary>
public static class FollowUpEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
        var followUps = cases.MapGroup("/{id:guid}/follow-ups");
        ListFollowUps.Map(followUps);
        GetFollowUp.Map(followUps);
        FollowUpTransitions.Map(followUps);
        RecordAssessment.Map(followUps);
    }
}
