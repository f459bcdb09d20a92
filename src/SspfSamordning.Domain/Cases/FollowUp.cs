using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Cases;

public enum FollowUpState
{
    Scheduled,
    Overdue,
    Done,
    Cancelled,
}

public enum FollowUpTrigger
{
    Complete,
    MarkOverdue,
    Cancel,

    /// <summary>Fired by closing the case (not by a client): cancels a Scheduled or an Overdue follow-up.</summary>
    CancelWithCase,
}

/// <summary>The assessment of one intervention at a follow-up.</summary>
public sealed class FollowUpAssessment
{
    private FollowUpAssessment()
    {
    }

    public Guid Id { get; private set; }
    public Guid InterventionId { get; private set; }

    /// <summary>Personal data.</summary>
    public string Assessment { get; private set; } = "";

    internal static FollowUpAssessment Create(Guid interventionId, string assessment, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        InterventionId = interventionId,
        Assessment = Checked(assessment, $"assessments[{interventionId}]"),
    };

    /// <summary>Replaces the text (decision 11: the owner party's member records it, the samordnare may assess it anew at Complete).</summary>
    internal void Replace(string assessment, string field) => Assessment = Checked(assessment, field);

    internal static string Checked(string? assessment, string field) =>
        DomainText.Required(assessment, field, "Bedömningen av insatsen är tom.", TextLimits.Assessment, multiline: true);
}

/// <summary>Uppföljning of the action plan. Changed only through <see cref="Case"/>.</summary>
public sealed class FollowUp
{
    public const string WorkflowName = nameof(FollowUp);

    /// <summary>The reason recorded on every follow-up that closing the case cancels.</summary>
    public const string CaseClosedReason = "Ärendet avslutades";

    private readonly List<FollowUpAssessment> _assessments = [];

    private FollowUp()
    {
    }

    public static WorkflowDescription Definition => Machine.Describe();

    public Guid Id { get; private set; }
    public FollowUpState State { get; private set; }
    public DateTimeOffset DueAt { get; private set; }
    public IReadOnlyCollection<FollowUpAssessment> Assessments => _assessments;

    /// <summary>The assessment of the case as a whole (personal data).</summary>
    public string? OverallAssessment { get; private set; }

    public DateTimeOffset? DoneAt { get; private set; }

    /// <summary>Still to be done: Scheduled or Overdue.</summary>
    public bool IsOpen => State is FollowUpState.Scheduled or FollowUpState.Overdue;

    public IReadOnlyList<FollowUpTrigger> PermittedTriggers(DateTimeOffset now) => Build(this, now).PermittedTriggers;

    internal static FollowUp Schedule(DateTimeOffset dueAt, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        State = FollowUpState.Scheduled,
        DueAt = dueAt,
    };

    /// <summary>
    /// Completes the follow-up: the samordnare's own assessments (<paramref name="assessments"/>) replace what a party
    /// recorded for the same insats; the other recorded ones stay (decision 11).
    /// </summary>
    internal TransitionEvent Complete(
        IReadOnlyDictionary<Guid, string> assessments, string overallAssessment, Guid actorUserId, DateTimeOffset now)
    {
        var overall = DomainText.Required(overallAssessment, "overallAssessment", "Bedömning av ärendet som helhet saknas.", TextLimits.Assessment, multiline: true);
        var texts = assessments.ToDictionary(a => a.Key, a => FollowUpAssessment.Checked(a.Value, $"assessments[{a.Key}]"));
        var transition = Fire(FollowUpTrigger.Complete, actorUserId, now, null);
        foreach (var (interventionId, text) in texts)
            Put(interventionId, text, $"assessments[{interventionId}]", now);
        OverallAssessment = overall;
        DoneAt = now;
        return transition;
    }

    /// <summary>
    /// Records (or replaces) the assessment of one insats while the follow-up is Scheduled or Overdue (decision 11);
    /// after Done or Cancelled every assessment is read-only.
    /// </summary>
    internal void RecordAssessment(Guid interventionId, string? assessment, DateTimeOffset now)
    {
        if (!IsOpen)
            throw new DomainRuleException("FollowUpNotOpen",
                "Uppföljningen är inte längre öppen; dess bedömningar kan inte ändras.");
        Put(interventionId, FollowUpAssessment.Checked(assessment, "assessment"), "assessment", now);
    }

    private void Put(Guid interventionId, string text, string field, DateTimeOffset now)
    {
        if (_assessments.FirstOrDefault(a => a.InterventionId == interventionId) is { } recorded)
            recorded.Replace(text, field);
        else
            _assessments.Add(FollowUpAssessment.Create(interventionId, text, now));
    }

    internal TransitionEvent MarkOverdue(DateTimeOffset now) =>
        Fire(FollowUpTrigger.MarkOverdue, TransitionEvent.SystemActor, now, null);

    internal TransitionEvent Cancel(Guid actorUserId, DateTimeOffset now, string? reason) =>
        Fire(FollowUpTrigger.Cancel, actorUserId, now, reason);

    /// <summary>Closing the case cancels the follow-up whether Scheduled or Overdue (decision 5).</summary>
    internal TransitionEvent CancelWithCase(Guid actorUserId, DateTimeOffset now) =>
        Fire(FollowUpTrigger.CancelWithCase, actorUserId, now, CaseClosedReason);

    private TransitionEvent Fire(FollowUpTrigger trigger, Guid actorUserId, DateTimeOffset now, string? reason) =>
        TransitionEvent.Of(WorkflowName, Id, Build(this, now).Fire(trigger), actorUserId, now, reason);

    internal static BoundWorkflow<(FollowUp FollowUp, DateTimeOffset Now), FollowUpState, FollowUpTrigger> Build(FollowUp f, DateTimeOffset now) =>
        Machine.Bind((f, now));

    private static readonly WorkflowMachine<(FollowUp FollowUp, DateTimeOffset Now), FollowUpState, FollowUpTrigger> Machine =
        new(WorkflowName, x => x.FollowUp.State, (x, s) => x.FollowUp.State = s, (workflow, bound) =>
    {
        workflow.Configure(FollowUpState.Scheduled)
            .Permit(FollowUpTrigger.Complete, FollowUpState.Done)
            .PermitIf(FollowUpTrigger.MarkOverdue, FollowUpState.Overdue, () => bound().Now > bound().FollowUp.DueAt, "Förfallodagen har passerat")
            .Permit(FollowUpTrigger.Cancel, FollowUpState.Cancelled)
            .Permit(FollowUpTrigger.CancelWithCase, FollowUpState.Cancelled);
        workflow.Configure(FollowUpState.Overdue)
            .Permit(FollowUpTrigger.Complete, FollowUpState.Done)
            .Permit(FollowUpTrigger.CancelWithCase, FollowUpState.Cancelled);
    });
}
