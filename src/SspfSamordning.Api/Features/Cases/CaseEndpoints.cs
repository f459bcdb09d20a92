using SspfSamordning.Api.Infrastructure.Audit;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>/api/cases and everything inside a case.</summary>
public static class CaseEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Every read of case data and every refusal is logged before the response is written.
        var cases = api.MapGroup("/cases").AddEndpointFilter(new AuditFilter(AuditFilter.Case));
#if BENCH
        if (Bench.ReadPhases.Enabled) cases.AddEndpointFilter(Bench.ReadPhases.Filter); // bench/load.sh --phases: inside the access log's filter
#endif
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
