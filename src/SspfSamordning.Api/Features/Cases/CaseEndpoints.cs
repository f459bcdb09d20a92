namespace SspfSamordning.Api.Features.Cases;

/// <summary>/api/cases and everything inside a case.</summary>
public static class CaseEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases");
        OpenCase.Map(cases);
        ListCases.Map(cases);
        GetCase.Map(cases);
        SearchByPersonnummer.Map(cases);
        CaseMembers.Map(cases);
        CaseTransitions.Map(cases);
        CaseHistory.Map(cases);
        Consents.ConsentEndpoints.Map(cases);
        Meetings.MeetingEndpoints.Map(cases);
        Interventions.InterventionEndpoints.Map(cases);
        FollowUps.FollowUpEndpoints.Map(cases);
        Disclosures.DisclosureEndpoints.Map(cases);
    }
}
