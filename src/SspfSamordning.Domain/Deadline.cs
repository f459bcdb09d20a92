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
