using SspfSamordning.Domain.Cases;
using WorkflowRegistry = SspfSamordning.Domain.Workflows.Workflows;

namespace SspfSamordning.Domain.Tests;

public class WorkflowRegistryTests
{
    [Fact]
    public void All_ListsTheCaseAndEveryWorkflowInsideIt()
    {
        Assert.Equal(
            ["Case", "ConcernReport", "Consent", "Meeting", "Intervention", "FollowUp", "Disclosure"],
            WorkflowRegistry.All.Select(w => w.Name));
    }

    [Fact]
    public void All_DescribesStatesAndTriggersFromTheEnums()
    {
        var consent = WorkflowRegistry.Find("consent")!;

        Assert.Equal(Enum.GetNames<ConsentState>(), consent.States);
        Assert.Equal(Enum.GetNames<ConsentTrigger>(), consent.Triggers);
        Assert.Contains(consent.Transitions, t => t is { From: "Valid", Trigger: "Expire", To: "Expired" } && t.Guards.SequenceEqual(["Giltighetstiden har löpt ut"]));
    }

    [Fact]
    public void All_RendersMermaidAndDotForEveryWorkflow()
    {
        Assert.All(WorkflowRegistry.All, w =>
        {
            Assert.StartsWith("stateDiagram-v2\n", w.Mermaid);
            Assert.EndsWith($"[*] --> {w.States[0]}\n", w.Mermaid);
            Assert.Equal(w.States[0], w.InitialState);
            Assert.StartsWith("digraph {", w.Dot);
            Assert.NotEmpty(w.Transitions);
            foreach (var t in w.Transitions)
                Assert.Contains($"{t.From} --> {t.To} : {t.Trigger}", w.Mermaid);
        });
        Assert.Contains("\tClosed --> Opened : Reopen [Ärendet avslutades inom tiden för återöppning]\n", Case.Definition.Mermaid);
    }

    [Fact]
    public void All_GuardsAreTheDomainsOwnDescriptions_NeverStatelessDefaults()
    {
        var guards = WorkflowRegistry.All.SelectMany(w => w.Transitions).SelectMany(t => t.Guards).ToList();

        Assert.NotEmpty(guards);
        Assert.All(guards, g => Assert.False(string.IsNullOrWhiteSpace(g) || g == "Function" || g.Contains('<'), $"Guard without a description: '{g}'"));
        Assert.All(WorkflowRegistry.All, w => Assert.DoesNotContain("[Function]", w.Mermaid));
    }

    [Fact]
    public void Find_UnknownName_ReturnsNull() => Assert.Null(WorkflowRegistry.Find("Nope"));
}
