using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Domain.Workflows;

/// <summary>Every workflow's graph, built from the transition tables without any entity (for <c>GET /api/workflows</c>).</summary>
public static class Workflows
{
    public static IReadOnlyList<WorkflowDescription> All { get; } =
    [
        Case.Definition,
        ConcernReport.Definition,
        Consent.Definition,
        Meeting.Definition,
        Intervention.Definition,
        FollowUp.Definition,
        Disclosure.Definition,
    ];

    public static WorkflowDescription? Find(string name) =>
        All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase));
}
