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
            Assert.StartsWith($"stateDiagram-v2\n    [*] --> {w.States[0]}\n", w.ToMermaid());
            Assert.StartsWith($"digraph {w.Name} {{", w.ToDot());
            Assert.NotEmpty(w.Transitions);
        });
        Assert.Contains("    Closed --> Opened : Reopen [Ärendet avslutades inom tiden för återöppning]\n", Case.Definition.ToMermaid());
    }

    [Fact]
    public void Find_UnknownName_ReturnsNull() => Assert.Null(WorkflowRegistry.Find("Nope"));
}
