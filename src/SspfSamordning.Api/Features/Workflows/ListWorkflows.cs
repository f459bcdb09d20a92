using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Domain.Workflows;
using DomainWorkflows = SspfSamordning.Domain.Workflows.Workflows;

namespace SspfSamordning.Api.Features.Workflows;

/// <summary>
/// GET /api/workflows: every workflow's states, triggers and transitions with the guards that may refuse them (from
/// Stateless's introspection), and which of the triggers a client sends to which endpoint (<see cref="ClientTriggers"/>).
/// </summary>
public static class ListWorkflows
{
    public sealed record TransitionView(string From, string Trigger, string To, IReadOnlyList<string> Guards);

    public sealed record WorkflowView(
        string Name, string InitialState, IReadOnlyList<string> States, IReadOnlyList<string> FinalStates,
        IReadOnlyList<string> Triggers, IReadOnlyList<string> ClientTriggers, string TransitionsEndpoint,
        IReadOnlyList<TransitionView> Transitions)
    {
        public static WorkflowView From(WorkflowDescription w)
        {
            var endpoint = Workflows.ClientTriggers.For(w.Name);
            return new(
                w.Name, w.InitialState, w.States, [.. w.FinalStates], w.Triggers, endpoint.Triggers, endpoint.Route,
                [.. w.Transitions.Select(t => new TransitionView(t.From, t.Trigger, t.To, t.Guards))]);
        }
    }

    public static void Map(RouteGroupBuilder workflows) =>
        workflows.MapGet("/", Handle).RequireAuthorization(Policies.SignedIn);

    private static Ok<PagedList<WorkflowView>> Handle(int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var items = DomainWorkflows.All.Skip(paging.Skip).Take(paging.PageSize).Select(WorkflowView.From).ToList();
        return TypedResults.Ok(new PagedList<WorkflowView>(items, paging.Page, paging.PageSize, DomainWorkflows.All.Count));
    }
}
