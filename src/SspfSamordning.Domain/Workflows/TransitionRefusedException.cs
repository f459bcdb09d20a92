namespace SspfSamordning.Domain.Workflows;

/// <summary>A trigger that the workflow's transition table or guards do not allow now (HTTP 409).</summary>
public sealed class TransitionRefusedException(
    string workflow,
    string currentState,
    string trigger,
    IReadOnlyList<string> permittedTriggers,
    IReadOnlyList<string> unmetGuards)
    : Exception(BuildMessage(workflow, currentState, trigger, unmetGuards))
{
    public string Workflow { get; } = workflow;
    public string CurrentState { get; } = currentState;
    public string Trigger { get; } = trigger;
    public IReadOnlyList<string> PermittedTriggers { get; } = permittedTriggers;
    public IReadOnlyList<string> UnmetGuards { get; } = unmetGuards;

    private static string BuildMessage(string workflow, string state, string trigger, IReadOnlyList<string> unmetGuards) =>
        unmetGuards.Count == 0
            ? $"{workflow}: '{trigger}' är inte tillåtet i tillståndet '{state}'."
            : $"{workflow}: '{trigger}' är inte tillåtet i tillståndet '{state}': {string.Join("; ", unmetGuards)}.";
}
