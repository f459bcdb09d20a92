using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Tests;

/// <summary>The glue between the domain and Stateless: one configured machine per type, bound per call to a subject.</summary>
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

        /// <summary>Set by a guard to look at another lamp through the same machine while this one is bound.</summary>
        public Lamp? Neighbour { get; set; }

        public BoundWorkflow<Lamp, Light, Switch> Workflow() => Machine.Bind(this);
    }

    private static readonly WorkflowMachine<Lamp, Light, Switch> Machine = new("Lamp", l => l.State, (l, s) => l.State = s, (workflow, lamp) =>
    {
        workflow.Configure(Light.Off)
            .PermitIf(Switch.Flip, Light.On,
                new Tuple<Func<bool>, string>(() => lamp().HasPower, "Ström finns"),
                new Tuple<Func<bool>, string>(() => lamp().BulbOk, "Glödlampan är hel"))
            .PermitIf(Switch.Kick, Light.Broken, () => lamp().Neighbour is not { } n || Machine!.Bind(n).PermittedTriggers.Count >= 0, "Grannen är läst");
        workflow.Configure(Light.On)
            .Permit(Switch.Flip, Light.Off)
            .OnEntry(t => lamp().Log.Add($"on via {t.Trigger} from {t.Source}"))
            .PermitIf(Switch.Kick, Light.Broken, () => !lamp().BulbOk, "Glödlampan är trasig")
            .PermitIf(Switch.Kick, Light.Off, () => lamp().BulbOk, "Glödlampan är hel");
        workflow.Configure(Light.Broken)
            .PermitReentry(Switch.Repair)
            .OnEntry(t => lamp().Log.Add($"broken via {t.Trigger}"));
    });

    [Fact]
    public void Fire_WhenPermitted_MovesStateOnTheEntityAndReturnsTransition()
    {
        var lamp = new Lamp();

        var transition = lamp.Workflow().Fire(Switch.Flip);

        Assert.Equal(Light.On, lamp.State);
        Assert.Equal((Light.Off, Light.On, Switch.Flip), (transition.Source, transition.Destination, transition.Trigger));
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
        Assert.Equal(Light.Off, lamp.State);
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
    public void Fire_WhenAlternativeGuardsOverlap_ThrowsConfigurationErrorAndKeepsTheState()
    {
        var overlap = new WorkflowMachine<Lamp, Light, Switch>("Overlap", l => l.State, (l, s) => l.State = s, (workflow, _) =>
            workflow.Configure(Light.Off)
                .PermitIf(Switch.Flip, Light.On, () => true, "a")
                .PermitIf(Switch.Flip, Light.Broken, () => true, "b"));
        var lamp = new Lamp();

        Assert.Throws<InvalidOperationException>(() => overlap.Bind(lamp).Fire(Switch.Flip));
        Assert.Equal(Light.Off, lamp.State);
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
        Assert.Equal([Switch.Repair], new Lamp { State = Light.Broken, BulbOk = false }.Workflow().PermittedTriggers);
    }

    [Theory]
    [InlineData(false, new Switch[] { Switch.Repair })]
    [InlineData(true, new Switch[] { Switch.Flip, Switch.Kick, Switch.Repair })]
    public void PermittedTriggers_AsksTheGuardsOfInternalAndReentryTransitionsToo(bool guardsPass, Switch[] expected)
    {
        // Only unguarded triggers are listed without asking Stateless: a guarded internal transition or re-entry is not one.
        var machine = new WorkflowMachine<Lamp, Light, Switch>("Guarded kinds", l => l.State, (l, s) => l.State = s, (workflow, lamp) =>
            workflow.Configure(Light.Off)
                .InternalTransitionIf(Switch.Flip, _ => lamp().HasPower, _ => { }, "Ström finns")
                .PermitReentryIf(Switch.Kick, () => lamp().BulbOk, "Glödlampan är hel")
                .Permit(Switch.Repair, Light.On));
        Assert.Equal(expected, machine.Bind(new Lamp { HasPower = guardsPass, BulbOk = guardsPass }).PermittedTriggers);
    }

    [Fact]
    public void State_ReadsThroughTheAccessorOfTheBoundSubject()
    {
        var lamp = new Lamp();
        var workflow = lamp.Workflow();

        lamp.State = Light.Broken;

        Assert.Equal(Light.Broken, workflow.State);
        Assert.Equal(Light.Off, new Lamp().Workflow().State);
    }

    [Fact]
    public void Fire_OnOneSubject_NeverMovesAnotherSubjectOfTheSameMachine()
    {
        var first = new Lamp();
        var second = new Lamp();

        first.Workflow().Fire(Switch.Flip);

        Assert.Equal(Light.On, first.State);
        Assert.Equal(Light.Off, second.State);
        Assert.Equal([Switch.Flip, Switch.Kick], second.Workflow().PermittedTriggers);
    }

    [Fact]
    public void Fire_WhenAGuardUsesTheSameMachineForAnotherSubject_TheOuterSubjectIsStillTheOneThatMoves()
    {
        var neighbour = new Lamp { State = Light.On };
        var lamp = new Lamp { Neighbour = neighbour };

        lamp.Workflow().Fire(Switch.Kick);

        Assert.Equal(Light.Broken, lamp.State);
        Assert.Equal(Light.On, neighbour.State);
    }

    [Fact]
    public async Task Fire_ConcurrentlyOnManySubjects_EachEndsInItsOwnState()
    {
        var lamps = Enumerable.Range(0, 2000).Select(i => new Lamp { BulbOk = i % 2 == 0 }).ToList();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            foreach (var lamp in lamps.Where((_, i) => i % 4 == worker))
            {
                if (lamp.BulbOk) lamp.Workflow().Fire(Switch.Flip);
                lamp.Workflow().Fire(Switch.Kick);
            }
        }, TestContext.Current.CancellationToken)));

        // Bulb ok: Off → On → Off (Kick with a whole bulb). Broken bulb: Off → Broken.
        Assert.All(lamps, l => Assert.Equal(l.BulbOk ? Light.Off : Light.Broken, l.State));
        Assert.All(lamps.Where(l => l.BulbOk), l => Assert.Equal(["on via Flip from Off"], l.Log));
    }

    [Fact]
    public void Describe_ComesFromStatelessIntrospectionWithGuardsWithoutEvaluatingThem()
    {
        var description = Machine.Describe();

        Assert.Equal("Lamp", description.Name);
        Assert.Equal(["Off", "On", "Broken"], description.States);
        Assert.Equal(["Flip", "Kick", "Repair"], description.Triggers);
        Assert.Equal(6, description.Transitions.Count);
        var flip = Assert.Single(description.Transitions, t => t is { From: "Off", Trigger: "Flip" });
        Assert.Equal("On", flip.To);
        Assert.Equal(["Ström finns", "Glödlampan är hel"], flip.Guards);
        Assert.Contains(description.Transitions, t => t is { From: "Broken", Trigger: "Repair", To: "Broken" });
        Assert.Equal("Off", description.InitialState);
        Assert.Equal(["Broken"], description.FinalStates); // only a reentry: nothing leaves it
    }

    [Fact]
    public void Describe_RendersMermaidAndDotWithStatelessFormatters()
    {
        var description = Machine.Describe();

        Assert.StartsWith("stateDiagram-v2\n", description.Mermaid);
        Assert.Contains("Off --> On : Flip [Ström finns] [Glödlampan är hel]\n", description.Mermaid);
        Assert.Contains("On --> Off : Flip\n", description.Mermaid);
        Assert.Contains("[*] --> Off\n", description.Mermaid);
        Assert.DoesNotContain("\r", description.Mermaid);
        Assert.StartsWith("digraph {", description.Dot);
        Assert.Contains("Glödlampan är trasig", description.Dot);
    }

    [Fact]
    public void Describe_StatesWithoutOutgoingTransitionsAreFinal()
    {
        var once = new WorkflowMachine<Lamp, Light, Switch>("Once", l => l.State, (l, s) => l.State = s, (workflow, _) =>
            workflow.Configure(Light.Off).Permit(Switch.Kick, Light.Broken));

        Assert.Equal(["On", "Broken"], once.Describe().FinalStates);
    }

    [Fact]
    public void Constructor_RequiresNameAccessorsAndTable()
    {
        Assert.Throws<ArgumentException>(() => new WorkflowMachine<Lamp, Light, Switch>(" ", l => l.State, (l, s) => l.State = s, (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => new WorkflowMachine<Lamp, Light, Switch>("x", null!, (l, s) => l.State = s, (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => new WorkflowMachine<Lamp, Light, Switch>("x", l => l.State, null!, (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => new WorkflowMachine<Lamp, Light, Switch>("x", l => l.State, (l, s) => l.State = s, null!));
    }
}
