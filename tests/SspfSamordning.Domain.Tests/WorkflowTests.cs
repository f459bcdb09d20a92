using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Tests;

public class WorkflowTests
{
    public enum Light { Off, On, Broken }

    public enum Switch { Flip, Kick, Repair }

    private sealed class Lamp
    {
        public Light State { get; set; }
        public bool HasPower { get; set; } = true;
        public bool BulbOk { get; set; } = true;
        public List<string> Log { get; } = [];

        public Workflow<Light, Switch> Workflow()
        {
            var workflow = new Workflow<Light, Switch>("Lamp", () => State, s => State = s);
            workflow.Configure(Light.Off)
                .PermitIf(Switch.Flip, Light.On, () => HasPower, "Ström finns")
                .PermitIf(Switch.Flip, Light.On, () => BulbOk, "Glödlampan är hel")
                .Permit(Switch.Kick, Light.Broken);
            workflow.Configure(Light.On)
                .Permit(Switch.Flip, Light.Off)
                .OnEntry(t => Log.Add($"on via {t.Trigger} from {t.Source}"))
                .PermitIf(Switch.Kick, Light.Broken, () => !BulbOk, "Glödlampan är trasig")
                .PermitIf(Switch.Kick, Light.Off, () => BulbOk, "Glödlampan är hel");
            workflow.Configure(Light.Broken)
                .Permit(Switch.Repair, Light.Broken)
                .OnEntry(t => Log.Add($"broken via {t.Trigger}"));
            return workflow;
        }
    }

    [Fact]
    public void Fire_WhenPermitted_MovesStateOnTheEntityAndReturnsTransition()
    {
        var lamp = new Lamp();

        var transition = lamp.Workflow().Fire(Switch.Flip);

        Assert.Equal(Light.On, lamp.State);
        Assert.Equal(new Workflow<Light, Switch>.Transition(Light.Off, Light.On, Switch.Flip), transition);
    }

    [Fact]
    public void Fire_RunsOnEntryOfTargetWithTheTransition()
    {
        var lamp = new Lamp();

        lamp.Workflow().Fire(Switch.Flip);

        Assert.Equal(["on via Flip from Off"], lamp.Log);
    }

    [Fact]
    public void Fire_ReentryIntoSameState_RunsOnEntryAgain()
    {
        var lamp = new Lamp { State = Light.Broken };

        var transition = lamp.Workflow().Fire(Switch.Repair);

        Assert.Equal(Light.Broken, transition.Destination);
        Assert.Equal(["broken via Repair"], lamp.Log);
    }

    [Fact]
    public void Fire_WhenTriggerNotConfiguredForState_ThrowsWithStateAndPermittedTriggers()
    {
        var lamp = new Lamp { State = Light.Broken };

        var refused = Assert.Throws<TransitionRefusedException>(() => lamp.Workflow().Fire(Switch.Flip));

        Assert.Equal("Lamp", refused.Workflow);
        Assert.Equal("Broken", refused.CurrentState);
        Assert.Equal("Flip", refused.Trigger);
        Assert.Equal(["Repair"], refused.PermittedTriggers);
        Assert.Empty(refused.UnmetGuards);
        Assert.Equal(Light.Broken, lamp.State);
    }

    [Fact]
    public void Fire_WhenOneOfSeveralGuardsFails_RefusesWithThatGuardsDescriptionOnly()
    {
        var lamp = new Lamp { BulbOk = false };

        var refused = Assert.Throws<TransitionRefusedException>(() => lamp.Workflow().Fire(Switch.Flip));

        Assert.Equal(["Glödlampan är hel"], refused.UnmetGuards);
        Assert.Equal(["Kick"], refused.PermittedTriggers);
        Assert.Equal(Light.Off, lamp.State);
        Assert.Contains("Glödlampan är hel", refused.Message);
    }

    [Fact]
    public void Fire_WhenAllGuardsFail_ListsEveryUnmetGuard()
    {
        var lamp = new Lamp { BulbOk = false, HasPower = false };

        var refused = Assert.Throws<TransitionRefusedException>(() => lamp.Workflow().Fire(Switch.Flip));

        Assert.Equal(["Ström finns", "Glödlampan är hel"], refused.UnmetGuards);
    }

    [Theory]
    [InlineData(true, Light.Off)]
    [InlineData(false, Light.Broken)]
    public void Fire_WithMutuallyExclusiveGuards_TakesTheTargetWhoseGuardPasses(bool bulbOk, Light expected)
    {
        var lamp = new Lamp { State = Light.On, BulbOk = bulbOk };

        var transition = lamp.Workflow().Fire(Switch.Kick);

        Assert.Equal(expected, transition.Destination);
        Assert.Equal(expected, lamp.State);
    }

    [Fact]
    public void Fire_WhenAlternativeGuardsOverlap_ThrowsConfigurationError()
    {
        var state = Light.Off;
        var workflow = new Workflow<Light, Switch>("Overlap", () => state, s => state = s);
        workflow.Configure(Light.Off)
            .PermitIf(Switch.Flip, Light.On, () => true, "a")
            .PermitIf(Switch.Flip, Light.Broken, () => true, "b");

        Assert.Throws<InvalidOperationException>(() => workflow.Fire(Switch.Flip));
        Assert.Equal(Light.Off, state);
    }

    [Fact]
    public void Permit_TwiceForSameTrigger_ThrowsConfigurationError()
    {
        var workflow = new Workflow<Light, Switch>("Twice", () => Light.Off, _ => { });

        Assert.Throws<InvalidOperationException>(() =>
            workflow.Configure(Light.Off).Permit(Switch.Flip, Light.On).Permit(Switch.Flip, Light.Broken));
    }

    [Fact]
    public void PermitIf_AfterUnguardedPermitForSameTrigger_ThrowsConfigurationError()
    {
        var workflow = new Workflow<Light, Switch>("Mixed", () => Light.Off, _ => { });

        Assert.Throws<InvalidOperationException>(() =>
            workflow.Configure(Light.Off).Permit(Switch.Flip, Light.On).PermitIf(Switch.Flip, Light.Broken, () => true, "x"));
    }

    [Fact]
    public void CanFire_ReportsUnmetGuardsWithoutChangingState()
    {
        var lamp = new Lamp { HasPower = false };
        var workflow = lamp.Workflow();

        Assert.False(workflow.CanFire(Switch.Flip, out var unmet));
        Assert.Equal(["Ström finns"], unmet);
        Assert.True(workflow.CanFire(Switch.Kick, out var none));
        Assert.Empty(none);
        Assert.False(workflow.CanFire(Switch.Repair, out var notConfigured));
        Assert.Empty(notConfigured);
        Assert.Equal(Light.Off, lamp.State);
    }

    [Fact]
    public void PermittedTriggers_ListsOnlyTriggersWhoseGuardsPass()
    {
        Assert.Equal([Switch.Flip, Switch.Kick], new Lamp().Workflow().PermittedTriggers);
        Assert.Equal([Switch.Kick], new Lamp { HasPower = false }.Workflow().PermittedTriggers);
        Assert.Equal([Switch.Flip, Switch.Kick], new Lamp { State = Light.On }.Workflow().PermittedTriggers);
    }

    [Fact]
    public void State_ReadsThroughTheAccessor()
    {
        var lamp = new Lamp();
        var workflow = lamp.Workflow();

        lamp.State = Light.Broken;

        Assert.Equal(Light.Broken, workflow.State);
    }

    [Fact]
    public void Describe_ListsStatesTriggersAndTransitionsWithGuardsWithoutEvaluatingThem()
    {
        var lamp = new Lamp { HasPower = false, BulbOk = false };

        var description = lamp.Workflow().Describe();

        Assert.Equal("Lamp", description.Name);
        Assert.Equal(["Off", "On", "Broken"], description.States);
        Assert.Equal(["Flip", "Kick", "Repair"], description.Triggers);
        Assert.Equal(6, description.Transitions.Count);
        var flip = Assert.Single(description.Transitions, t => t is { From: "Off", Trigger: "Flip" });
        Assert.Equal("On", flip.To);
        Assert.Equal(["Ström finns", "Glödlampan är hel"], flip.Guards);
        Assert.Equal("Off", description.InitialState);
        Assert.Empty(description.FinalStates);
    }

    [Fact]
    public void ToMermaid_RendersStateDiagramWithGuardsAndInitialState()
    {
        var mermaid = new Lamp().Workflow().ToMermaid();

        Assert.StartsWith("stateDiagram-v2\n    [*] --> Off\n", mermaid);
        Assert.Contains("    Off --> On : Flip [Ström finns och Glödlampan är hel]\n", mermaid);
        Assert.Contains("    On --> Off : Flip\n", mermaid);
        Assert.Contains("    Broken --> Broken : Repair\n", mermaid);
    }

    [Fact]
    public void ToMermaid_MarksStatesWithoutOutgoingTransitionsAsFinal()
    {
        var state = Light.Off;
        var workflow = new Workflow<Light, Switch>("Once", () => state, s => state = s);
        workflow.Configure(Light.Off).Permit(Switch.Kick, Light.Broken);

        var mermaid = workflow.ToMermaid();

        Assert.Contains("    Broken --> [*]\n", mermaid);
        Assert.Contains("    On --> [*]\n", mermaid);
        Assert.DoesNotContain("    Off --> [*]", mermaid);
    }

    [Fact]
    public void ToDot_RendersDigraphWithLabelledEdges()
    {
        var dot = new Lamp().Workflow().ToDot();

        Assert.StartsWith("digraph Lamp {", dot);
        Assert.Contains("\"Off\" -> \"Broken\" [label=\"Kick\"];", dot);
        Assert.Contains("\"On\" -> \"Broken\" [label=\"Kick [Glödlampan är trasig]\"];", dot);
        Assert.EndsWith("}\n", dot);
    }

    [Fact]
    public void Constructor_RequiresNameAndAccessors()
    {
        Assert.Throws<ArgumentException>(() => new Workflow<Light, Switch>(" ", () => Light.Off, _ => { }));
        Assert.Throws<ArgumentNullException>(() => new Workflow<Light, Switch>("x", null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => new Workflow<Light, Switch>("x", () => Light.Off, null!));
    }
}
