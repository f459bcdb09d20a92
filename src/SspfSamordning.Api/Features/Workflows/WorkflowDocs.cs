using System.Text;
using DomainWorkflows = SspfSamordning.Domain.Workflows.Workflows;

namespace SspfSamordning.Api.Features.Workflows;

/// <summary>
/// docs/workflows.md, generated from the same transition tables as <c>GET /api/workflows</c>. A test compares the
/// file with <see cref="Render"/> and fails on drift; <c>SSPF_UPDATE_DOCS=1</c> makes that test rewrite it.
/// </summary>
public static class WorkflowDocs
{
    public const string RelativePath = "docs/workflows.md";

    public static string Render()
    {
        var text = new StringBuilder()
            .Append("# Workflows\n\n")
            .Append("<!-- Generated from the domain's transition tables (SspfSamordning.Domain.Workflows.Workflows.All). Do not edit:\n")
            .Append("     regenerate with `SSPF_UPDATE_DOCS=1 dotnet test tests/SspfSamordning.Api.Tests --filter FullyQualifiedName~WorkflowDocs`. -->\n\n")
            .Append("The same data is served by `GET /api/workflows`, and each diagram by `GET /api/workflows/{name}.mmd`.\n")
            .Append("Both come from the Stateless state machines' introspection (`GetInfo()`, `MermaidGraph`).\n")
            .Append("A trigger that the table or a guard refuses answers 409 with `currentState`, `permittedTriggers` and `unmetGuards`.\n");
        foreach (var workflow in DomainWorkflows.All)
        {
            text.Append($"\n## {workflow.Name}\n\n")
                .Append($"Initial state: `{workflow.InitialState}`. Final states: {string.Join(", ", workflow.FinalStates.Select(s => $"`{s}`"))}.\n")
                .Append($"Client triggers (`{ClientTriggers.For(workflow.Name).Route}`): {string.Join(", ", ClientTriggers.For(workflow.Name).Triggers.Select(t => $"`{t}`"))}; ")
                .Append("the others follow from other requests or from time.\n\n")
                .Append("```mermaid\n").Append(workflow.Mermaid).Append("```\n\n")
                .Append("| From | Trigger | To | Guards |\n|---|---|---|---|\n");
            foreach (var t in workflow.Transitions)
                text.Append($"| {t.From} | {t.Trigger} | {t.To} | {(t.Guards.Count == 0 ? "–" : Cell(string.Join("; ", t.Guards)))} |\n");
        }
        return text.ToString();
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
