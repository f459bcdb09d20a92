using Stateless.Graph;
using Stateless.Reflection;

namespace SspfSamordning.Domain.Workflows;

public sealed record TransitionDescription(string From, string Trigger, string To, IReadOnlyList<string> Guards);

/// <summary>
/// A workflow's graph as data, for <c>GET /api/workflows</c> and <c>docs/workflows.md</c>: read from Stateless's
/// introspection (<see cref="StateMachineInfo"/>), with its Mermaid and DOT renderings by Stateless's own formatters.
/// </summary>
public sealed record WorkflowDescription(
    string Name,
    string InitialState,
    IReadOnlyList<string> States,
    IReadOnlyList<string> Triggers,
    IReadOnlyList<TransitionDescription> Transitions,
    string Mermaid,
    string Dot)
{
    /// <summary>States that no transition leaves (an internal transition or a reentry stays).</summary>
    public IEnumerable<string> FinalStates => States.Where(s => Transitions.All(t => t.From != s || t.To == s));

    public static WorkflowDescription From(string name, StateMachineInfo info)
    {
        var states = info.States.OrderBy(s => (IComparable)s.UnderlyingState).ToList();
        return new WorkflowDescription(
            name,
            info.InitialState.UnderlyingState.ToString()!,
            [.. states.Select(s => s.UnderlyingState.ToString()!)],
            Enum.GetNames(info.TriggerType),
            [
                .. states.SelectMany(s => s.FixedTransitions.Select(t => new TransitionDescription(
                    s.UnderlyingState.ToString()!, t.Trigger.UnderlyingTrigger.ToString()!, t.DestinationState.UnderlyingState.ToString()!,
                    [.. t.GuardConditionsMethodDescriptions.Select(g => g.Description)]))),
            ],
            Newlines(MermaidGraph.Format(info)),
            Newlines(UmlDotGraph.Format(info)));
    }

    private static string Newlines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
}
