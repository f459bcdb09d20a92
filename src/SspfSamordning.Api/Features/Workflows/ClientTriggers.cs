using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.ConcernReports;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Features.Disclosures;
using SspfSamordning.Api.Features.FollowUps;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Features.Meetings;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Features.Workflows;

/// <summary>
/// Per workflow: the endpoint a client fires triggers through and the triggers it accepts — read from the lists those
/// endpoints validate with, so <c>GET /api/workflows</c> cannot list a trigger that the endpoint refuses. The names are
/// the domain's; the other triggers follow from other requests (a consent answer, requesting a consent) or from time.
/// </summary>
public static class ClientTriggers
{
    public sealed record Endpoint(string Route, IReadOnlyList<string> Triggers);

    private static readonly Dictionary<string, Endpoint> ByWorkflow = new(StringComparer.Ordinal)
    {
        [Case.WorkflowName] = new("POST /api/cases/{id}/transitions", Names(CaseDetail.ClientTriggers)),
        [ConcernReport.WorkflowName] = new("POST /api/concern-reports/{id}/transitions", Names(ConcernReportTransitions.Accepted)),
        [Consent.WorkflowName] = new("POST /api/cases/{id}/consents/{consentId}/transitions", Names(ConsentTransitions.Accepted)),
        [Meeting.WorkflowName] = new("POST /api/cases/{id}/meetings/{meetingId}/transitions", Names(MeetingTransitions.Accepted)),
        [Intervention.WorkflowName] = new("POST /api/cases/{id}/interventions/{interventionId}/transitions", Names(InterventionTransitions.Accepted)),
        [FollowUp.WorkflowName] = new("POST /api/cases/{id}/follow-ups/{followUpId}/transitions", Names(FollowUpTransitions.ClientTriggers)),
        [Disclosure.WorkflowName] = new("POST /api/cases/{id}/disclosures/{disclosureId}/transitions", Names(DisclosureTransitions.Accepted)),
    };

    public static Endpoint For(string workflow) => ByWorkflow[workflow];

    private static List<string> Names<T>(IEnumerable<T> triggers) where T : struct, Enum => [.. triggers.Select(t => t.ToString())];
}
