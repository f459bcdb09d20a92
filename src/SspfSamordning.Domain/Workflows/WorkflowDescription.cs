using System.Text;

namespace SspfSamordning.Domain.Workflows;

public sealed record TransitionDescription(string From, string Trigger, string To, IReadOnlyList<string> Guards);

/// <summary>A workflow's graph as data, for <c>GET /api/workflows</c> and generated diagrams.</summary>
public sealed record WorkflowDescription(
    string Name,
    IReadOnlyList<string> States,
    IReadOnlyList<string> Triggers,
    IReadOnlyList<TransitionDescription> Transitions)
{
    public string InitialState => States[0];

    public IEnumerable<string> FinalStates => States.Where(s => Transitions.All(t => t.From != s));

    public string ToMermaid()
    {
        var text = new StringBuilder("stateDiagram-v2\n");
        text.Append($"    [*] --> {InitialState}\n");
        foreach (var t in Transitions)
            text.Append($"    {t.From} --> {t.To} : {Label(t).Replace(':', ',').Replace(';', ',')}\n");
        foreach (var state in FinalStates)
            text.Append($"    {state} --> [*]\n");
        return text.ToString();
    }

    public string ToDot()
    {
        var text = new StringBuilder($"digraph {Name} {{\n    rankdir=LR;\n");
        text.Append($"    \"{InitialState}\" [shape=doublecircle];\n");
        foreach (var t in Transitions)
            text.Append($"    \"{t.From}\" -> \"{t.To}\" [label=\"{Label(t).Replace("\"", "\\\"")}\"];\n");
        return text.Append("}\n").ToString();
    }

    private static string Label(TransitionDescription t) =>
        t.Guards.Count == 0 ? t.Trigger : $"{t.Trigger} [{string.Join(" och ", t.Guards)}]";
}
