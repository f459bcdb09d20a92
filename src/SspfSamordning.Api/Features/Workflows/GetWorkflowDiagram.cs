using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using DomainWorkflows = SspfSamordning.Domain.Workflows.Workflows;

namespace SspfSamordning.Api.Features.Workflows;

/// <summary>GET /api/workflows/{name}.mmd: the workflow's Mermaid state diagram as text/plain; 404 for an unknown name.</summary>
public static class GetWorkflowDiagram
{
    public static void Map(RouteGroupBuilder workflows) =>
        workflows.MapGet("/{name}.mmd", Handle).RequireAuthorization(Policies.SignedIn);

    private static Results<ContentHttpResult, ProblemHttpResult> Handle(string name) =>
        DomainWorkflows.Find(name) is { } workflow
            ? TypedResults.Text(workflow.Mermaid, "text/plain; charset=utf-8")
            : Problems.NotFound();
}
