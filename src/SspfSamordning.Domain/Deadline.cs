using System.Linq.Expressions;

namespace SspfSamordning.Domain;

public enum DeadlineKind
{
    /// <summary>A meeting: reminder before it starts.</summary>
    Meeting,
    /// <summary>Minutes of a held meeting not yet approved.</summary>
    MinutesApproval,
    ConsentUnanswered,
    ConsentExpiring,
    FollowUpDue,
    ProtectionAssessment,
    PreliminaryAssessment,
    InvestigationDue,
    ReporterFeedback,
}

/// <summary>What the reminder job does for a deadline: remind the responsible person, or escalate once it has passed.</summary>
public enum ReminderStep
{
    Reminder,
    Escalation,
}

public enum DeadlineState
{
    Open,
    Completed,
    Cancelled,
}

/// <summary>
/// A deadline stored next to what it belongs to, created and closed by the transitions that cause it.
/// The reminder job reminds <see cref="ResponsibleUserId"/> at <see cref="RemindAt"/> (if any) and,
/// once <see cref="DueAt"/> has passed while still open, escalates to <see cref="EscalateToUserId"/>.
/// Reminders name only the case number, never content.
/// </summary>
public sealed class Deadline
{
    private Deadline()
    {
    }

    public Guid Id { get; private set; }
    public DeadlineKind Kind { get; private set; }

    /// <summary>The consent, meeting, follow-up or concern report the deadline belongs to.</summary>
    public Guid SubjectId { get; private set; }

    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset? RemindAt { get; private set; }
    public Guid ResponsibleUserId { get; private set; }
    public Guid EscalateToUserId { get; private set; }
    public DeadlineState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public DateTimeOffset? ReminderSentAt { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }

    internal static Deadline Create(
        DeadlineKind kind, Guid subjectId, DateTimeOffset dueAt, DateTimeOffset? remindAt,
        Guid responsibleUserId, Guid escalateToUserId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = kind,
        SubjectId = subjectId,
        DueAt = dueAt,
        RemindAt = remindAt,
        ResponsibleUserId = responsibleUserId,
        EscalateToUserId = escalateToUserId,
        State = DeadlineState.Open,
        CreatedAt = now,
    };

    /// <summary>
    /// The steps due at <paramref name="now"/> for an open deadline. The reminder goes out from <see cref="RemindAt"/>
    /// on, but only while it still helps: before <see cref="DueAt"/>, or within <paramref name="catchUpWindow"/> of its
    /// own time (a reminder missed while no instance ran is dropped once the deadline has passed; the escalation is
    /// not). The escalation goes out once <see cref="DueAt"/> has passed (strictly after it, as the workflows' guards), however late. Closed deadlines are silent.
    /// </summary>
    public IReadOnlyList<ReminderStep> StepsDue(DateTimeOffset now, TimeSpan catchUpWindow)
    {
        var steps = new List<ReminderStep>(2);
        if (State != DeadlineState.Open) return steps;
        if (ReminderSentAt is null && RemindAt <= now && (DueAt > now || RemindAt > now - catchUpWindow)) steps.Add(ReminderStep.Reminder);
        if (EscalatedAt is null && DueAt < now) steps.Add(ReminderStep.Escalation);
        return steps;
    }

    /// <summary>The same rule as <see cref="StepsDue"/>, as a filter the database evaluates.</summary>
    public static Expression<Func<Deadline, bool>> IsDue(DateTimeOffset now, TimeSpan catchUpWindow)
    {
        var staleBefore = now - catchUpWindow;
        return d => d.State == DeadlineState.Open
            && ((d.ReminderSentAt == null && d.RemindAt <= now && (d.DueAt > now || d.RemindAt > staleBefore))
                || (d.EscalatedAt == null && d.DueAt < now));
    }

    /// <summary>Who a step goes to: the responsible person, or on escalation the coordinator (or unit head).</summary>
    public Guid RecipientOf(ReminderStep step) => step == ReminderStep.Reminder ? ResponsibleUserId : EscalateToUserId;

    /// <summary>Whether the deadline's passing moves its workflow by itself (domain.md: follow-up → Overdue, consent → Expired).</summary>
    public bool PassingTransitionsWorkflow => Kind is DeadlineKind.FollowUpDue or DeadlineKind.ConsentExpiring;

    /// <summary>Records that <paramref name="step"/> was dispatched.</summary>
    public void MarkDispatched(ReminderStep step, DateTimeOffset now)
    {
        if (step == ReminderStep.Reminder) MarkReminderSent(now);
        else MarkEscalated(now);
    }

    public void MarkReminderSent(DateTimeOffset now) => ReminderSentAt ??= now;

    public void MarkEscalated(DateTimeOffset now) => EscalatedAt ??= now;

    internal void Close(DeadlineState outcome, DateTimeOffset now)
    {
        if (State != DeadlineState.Open) return;
        State = outcome;
        ClosedAt = now;
    }
}

internal static class DeadlineListExtensions
{
    public static void Close(this List<Deadline> deadlines, Guid subjectId, DeadlineKind kind, DeadlineState outcome, DateTimeOffset now)
    {
        foreach (var deadline in deadlines.Where(d => d.SubjectId == subjectId && d.Kind == kind))
            deadline.Close(outcome, now);
    }
}
