using Stateless;
using Stateless.Graph;

namespace SspfSamordning.Domain.Workflows;

/// <summary>
/// One workflow's transition table as a <see cref="StateMachine{TState,TTrigger}"/> (Stateless), configured once per
/// type and bound, for the duration of each call, to one subject: <typeparamref name="TContext"/> carries the entity
/// and what its guards read (the time, the required signatories). The state lives on the entity — Stateless reads
/// and writes it through the accessor and mutator (external state storage), so EF maps it as a plain column.
/// </summary>
/// <remarks>
/// Building a Stateless machine per call, as the in-house engine was, halves the transitions per second
/// (bench/results/workflows.md); one configured machine per type avoids that. The binding is per thread, restored
/// after each call, and every state is configured up front, so concurrent calls share only read-only configuration.
/// A trigger that the table or a guard refuses throws <see cref="TransitionRefusedException"/> with the permitted
/// triggers and the unmet guards that Stateless reports (<c>CanFire</c>, <c>OnUnhandledTrigger</c>).
/// </remarks>
public sealed class WorkflowMachine<TContext, TState, TTrigger>
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    [ThreadStatic] private static TContext? t_context;
    [ThreadStatic] private static bool t_bound;

    private readonly StateMachine<TState, TTrigger> _machine;
    private readonly Dictionary<TState, (TTrigger Trigger, bool Guarded)[]> _triggersFrom;
    private readonly Lazy<WorkflowDescription> _description;

    /// <param name="name">The workflow's name in history, problems and <c>/api/workflows</c>.</param>
    /// <param name="state">Reads the state from the bound subject.</param>
    /// <param name="setState">Writes the state to the bound subject.</param>
    /// <param name="configure">The transition table; guards and actions read the bound subject through the given function.</param>
    public WorkflowMachine(
        string name, Func<TContext, TState> state, Action<TContext, TState> setState,
        Action<StateMachine<TState, TTrigger>, Func<TContext>> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(setState);
        ArgumentNullException.ThrowIfNull(configure);
        Name = name;
        // Unbound (only while configuring and describing) the machine stands in its initial state: the enum's first value.
        _machine = new StateMachine<TState, TTrigger>(
            () => t_bound ? state(t_context!) : default, s => setState(Bound(), s), FiringMode.Immediate);
        configure(_machine, Bound);
        foreach (var each in Enum.GetValues<TState>())
            _machine.Configure(each);
        _machine.OnUnhandledTrigger((source, trigger, unmetGuards) => throw new TransitionRefusedException(
            Name, source.ToString(), trigger.ToString(),
            [.. PermittedNow().Select(t => t.ToString())], [.. unmetGuards ?? []]));
        _description = new Lazy<WorkflowDescription>(() => WorkflowDescription.From(Name, _machine.GetInfo()));
        // Only the triggers configured for a state can be permitted in it: ask Stateless about those alone, and only about
        // those with a guard — a trigger with one transition from the state and no guard is permitted whatever the subject.
        _triggersFrom = _machine.GetInfo().States.ToDictionary(
            s => (TState)s.UnderlyingState,
            s => s.FixedTransitions.GroupBy(t => (TTrigger)t.Trigger.UnderlyingTrigger)
                .Select(g => (g.Key, Guarded: g.Count() > 1 || g.Single().GuardConditionsMethodDescriptions.Any())).ToArray());
    }

    public string Name { get; }

    /// <summary>The whole graph from Stateless's introspection (<c>GetInfo()</c>), without evaluating any guard.</summary>
    public WorkflowDescription Describe() => _description.Value;

    /// <summary>This workflow bound to one subject.</summary>
    public BoundWorkflow<TContext, TState, TTrigger> Bind(TContext context) => new(this, context);

    internal TState State(TContext context) => Run(context, () => _machine.State);

    internal IReadOnlyList<TTrigger> PermittedTriggers(TContext context) => Run(context, PermittedNow);

    internal bool CanFire(TContext context, TTrigger trigger, out IReadOnlyList<string> unmetGuards)
    {
        ICollection<string>? unmet = null;
        var can = Run(context, () => _machine.CanFire(trigger, out unmet));
        unmetGuards = [.. unmet ?? []];
        return can;
    }

    internal StateMachine<TState, TTrigger>.Transition Fire(TContext context, TTrigger trigger) => Run(context, () =>
    {
        var source = _machine.State;
        _machine.Fire(trigger);
        return new StateMachine<TState, TTrigger>.Transition(source, _machine.State, trigger, []);
    });

    /// <summary>
    /// The triggers Stateless would accept now (<c>CanFire</c>), in configuration order. Its own GetPermittedTriggers is
    /// obsolete in 5.20 and runs the asynchronous variant on the thread pool. An unguarded trigger is not asked about:
    /// <c>CanFire</c>'s search for the handler and its guards' results cost more than the guards themselves (issue 22,
    /// the case read's permitted triggers).
    /// </summary>
    private List<TTrigger> PermittedNow()
    {
        var from = _triggersFrom[_machine.State];
        var permitted = new List<TTrigger>(from.Length);
        foreach (var (trigger, guarded) in from)
            if (!guarded || _machine.CanFire(trigger)) permitted.Add(trigger);
        return permitted;
    }

    private static TContext Bound() =>
        t_bound ? t_context! : throw new InvalidOperationException("The workflow is not bound to a subject.");

    /// <summary>Binds <paramref name="context"/> for the call and restores the outer binding (a guard may use the same workflow).</summary>
    private static T Run<T>(TContext context, Func<T> action)
    {
        var (outerContext, outerBound) = (t_context, t_bound);
        (t_context, t_bound) = (context, true);
        try
        {
            return action();
        }
        finally
        {
            (t_context, t_bound) = (outerContext, outerBound);
        }
    }
}

/// <summary>A workflow bound to one subject: what the aggregates fire and query.</summary>
public readonly struct BoundWorkflow<TContext, TState, TTrigger>(WorkflowMachine<TContext, TState, TTrigger> machine, TContext context)
    where TState : struct, Enum
    where TTrigger : struct, Enum
{
    public string Name => machine.Name;

    public TState State => machine.State(context);

    /// <summary>Triggers whose guards all pass in the current state.</summary>
    public IReadOnlyList<TTrigger> PermittedTriggers => machine.PermittedTriggers(context);

    public bool CanFire(TTrigger trigger, out IReadOnlyList<string> unmetGuards) => machine.CanFire(context, trigger, out unmetGuards);

    /// <summary>Moves to the target state and runs its entry actions, or throws <see cref="TransitionRefusedException"/>.</summary>
    public StateMachine<TState, TTrigger>.Transition Fire(TTrigger trigger) => machine.Fire(context, trigger);
}
