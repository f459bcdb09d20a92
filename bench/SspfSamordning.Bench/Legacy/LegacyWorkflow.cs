using System.Diagnostics.CodeAnalysis;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Bench.Legacy;

/// <summary>
/// The in-house engine the domain used before Stateless (commit 26ad353, Describe/diagrams left out), kept here only
/// so that `workflows` can compare both engines in one run.
/// A small state machine in the shape of the Stateless library. The state lives on the entity
/// (read through <c>stateAccessor</c>, written through <c>stateMutator</c>), so EF maps it as a
/// plain column. A trigger is resolved against the permits configured for the current state:
/// guards on the same (trigger, target) are all required; several targets for one trigger are
/// alternatives whose guards must be mutually exclusive.
/// </summary>
public sealed class LegacyWorkflow<TState, TTrigger>
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    public sealed record Transition(TState Source, TState Destination, TTrigger Trigger);

    internal sealed record Guard(Func<bool> Condition, string Description);

    internal sealed record PermitRule(TTrigger Trigger, TState Target, List<Guard> Guards)
    {
        public IEnumerable<string> UnmetGuards() =>
            Guards.Where(g => !g.Condition()).Select(g => g.Description);
    }

    public sealed class StateConfiguration
    {
        internal List<PermitRule> Permits { get; } = [];
        internal List<Action<Transition>> EntryActions { get; } = [];

        public StateConfiguration Permit(TTrigger trigger, TState target)
        {
            if (Permits.Any(p => EqualityComparer<TTrigger>.Default.Equals(p.Trigger, trigger)))
                throw new InvalidOperationException($"Trigger {trigger} is already configured for this state.");
            Permits.Add(new PermitRule(trigger, target, []));
            return this;
        }

        public StateConfiguration PermitIf(TTrigger trigger, TState target, Func<bool> guard, string guardDescription)
        {
            ArgumentNullException.ThrowIfNull(guard);
            ArgumentException.ThrowIfNullOrWhiteSpace(guardDescription);
            var sameTrigger = Permits.Where(p => EqualityComparer<TTrigger>.Default.Equals(p.Trigger, trigger)).ToList();
            if (sameTrigger.Any(p => p.Guards.Count == 0))
                throw new InvalidOperationException($"Trigger {trigger} is already permitted without a guard.");
            var permit = sameTrigger.FirstOrDefault(p => EqualityComparer<TState>.Default.Equals(p.Target, target));
            if (permit is null)
            {
                permit = new PermitRule(trigger, target, []);
                Permits.Add(permit);
            }
            permit.Guards.Add(new Guard(guard, guardDescription));
            return this;
        }

        public StateConfiguration OnEntry(Action<Transition> action)
        {
            ArgumentNullException.ThrowIfNull(action);
            EntryActions.Add(action);
            return this;
        }
    }

    private readonly Dictionary<TState, StateConfiguration> _states = [];
    private readonly Func<TState> _stateAccessor;
    private readonly Action<TState> _stateMutator;

    public LegacyWorkflow(string name, Func<TState> stateAccessor, Action<TState> stateMutator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _stateAccessor = stateAccessor ?? throw new ArgumentNullException(nameof(stateAccessor));
        _stateMutator = stateMutator ?? throw new ArgumentNullException(nameof(stateMutator));
    }

    public string Name { get; }

    public TState State => _stateAccessor();

    public StateConfiguration Configure(TState state)
    {
        if (!_states.TryGetValue(state, out var configuration))
            _states[state] = configuration = new StateConfiguration();
        return configuration;
    }

    /// <summary>Triggers whose guards all pass in the current state, in configuration order.</summary>
    public IReadOnlyList<TTrigger> PermittedTriggers =>
        PermitsFrom(State).Where(p => !p.UnmetGuards().Any()).Select(p => p.Trigger).Distinct().ToList();

    public bool CanFire(TTrigger trigger, out IReadOnlyList<string> unmetGuards) =>
        TryResolve(trigger, out _, out unmetGuards);

    /// <summary>Moves to the target state and runs its entry actions, or throws <see cref="TransitionRefusedException"/>.</summary>
    public Transition Fire(TTrigger trigger)
    {
        var source = State;
        if (!TryResolve(trigger, out var permit, out var unmetGuards))
            throw new TransitionRefusedException(
                Name, source.ToString(), trigger.ToString(),
                PermittedTriggers.Select(t => t.ToString()).ToList(), unmetGuards);

        _stateMutator(permit.Target);
        var transition = new Transition(source, permit.Target, trigger);
        if (_states.TryGetValue(permit.Target, out var target))
            foreach (var action in target.EntryActions)
                action(transition);
        return transition;
    }

    private IEnumerable<PermitRule> PermitsFrom(TState state) =>
        _states.TryGetValue(state, out var configuration) ? configuration.Permits : [];

    private bool TryResolve(TTrigger trigger, [MaybeNullWhen(false)] out PermitRule permit, out IReadOnlyList<string> unmetGuards)
    {
        var candidates = PermitsFrom(State)
            .Where(p => EqualityComparer<TTrigger>.Default.Equals(p.Trigger, trigger))
            .ToList();
        var passing = candidates.Where(p => !p.UnmetGuards().Any()).ToList();
        if (passing.Count > 1)
            throw new InvalidOperationException(
                $"{Name}: the guards of trigger {trigger} in state {State} are not mutually exclusive.");

        permit = passing.SingleOrDefault();
        unmetGuards = passing.Count == 1 ? [] : candidates.SelectMany(p => p.UnmetGuards()).Distinct().ToList();
        return passing.Count == 1;
    }
}
