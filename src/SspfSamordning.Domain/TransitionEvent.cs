using Stateless;

namespace SspfSamordning.Domain;

/// <summary>One transition of one workflow, stored as history on the aggregate root that owns the subject.</summary>
public sealed class TransitionEvent
{
    /// <summary>Actor of transitions that the system makes by itself (expiry, overdue).</summary>
    public static readonly Guid SystemActor = Guid.Empty;

    private TransitionEvent()
    {
    }

    public Guid Id { get; private set; }
    public string Workflow { get; private set; } = "";
    public Guid SubjectId { get; private set; }
    public string From { get; private set; } = "";
    public string To { get; private set; } = "";
    public string Trigger { get; private set; } = "";

    /// <summary>Free text (personal data).</summary>
    public string? Reason { get; private set; }

    public Guid ActorUserId { get; private set; }
    public DateTimeOffset At { get; private set; }

    internal static TransitionEvent Of<TState, TTrigger>(
        string workflow, Guid subjectId, StateMachine<TState, TTrigger>.Transition transition,
        Guid actorUserId, DateTimeOffset at, string? reason)
        where TState : struct, Enum
        where TTrigger : struct, Enum => new()
    {
        Id = Guid.CreateVersion7(at),
        Workflow = workflow,
        SubjectId = subjectId,
        From = transition.Source.ToString(),
        To = transition.Destination.ToString(),
        Trigger = transition.Trigger.ToString(),
        // A closing's reason is "{CloseReason}: {comment}": the enum name's room on top of the limit.
        Reason = DomainText.Optional(reason, "reason", TextLimits.Reason + 32, multiline: true),
        ActorUserId = actorUserId,
        At = at,
    };
}
