namespace SspfSamordning.Api.Features.Workflows;

/// <summary>/api/workflows: every workflow's transition table, as data and as a Mermaid diagram. No case data.</summary>
public static class WorkflowEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var workflows = api.MapGroup("/workflows");
        ListWorkflows.Map(workflows);
        GetWorkflowDiagram.Map(workflows);
    }
}
