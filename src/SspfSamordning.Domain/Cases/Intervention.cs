using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Cases;

public enum InterventionState
{
    Proposed,
    Planned,
    Ongoing,
    Completed,
    Cancelled,
}

public enum InterventionTrigger
{
    Plan,
    Start,
    Complete,
    Cancel,
}

/// <summary>The catalogue of insatser.</summary>
public enum InterventionType
{
    LeisureActivity,
    ContactPerson,
    Mentor,
    ParentingSupport,
    SchoolSupport,
    MultisystemicTherapy,
    ExitProgramme,
    Other,
}

public enum InterventionOutcome
{
    Achieved,
    PartlyAchieved,
    NotAchieved,
}

/// <summary>Insats, owned by one party and a responsible person. Changed only through <see cref="Case"/>.</summary>
public sealed class Intervention
{
    public const string WorkflowName = nameof(Intervention);

    private Intervention()
    {
    }

    public static WorkflowDescription Definition => Machine.Describe();

    public Guid Id { get; private set; }
    public InterventionState State { get; private set; }
    public InterventionType Type { get; private set; }
    public Party OwnerParty { get; private set; }

    /// <summary>The information category the insats belongs to: its owner party's (<see cref="RecordCategories"/>, decision 9).</summary>
    public InformationCategory Category => RecordCategories.Of(this);
    public Guid ResponsibleUserId { get; private set; }

    /// <summary>Personal data.</summary>
    public string Goal { get; private set; } = "";

    public DateOnly? StartDate { get; private set; }
    public DateOnly? PlannedEndDate { get; private set; }

    /// <summary>A socialtjänst insats granted as bistånd needs <see cref="DecisionReference"/> before Planned.</summary>
    public bool IsBistand { get; private set; }

    /// <summary>The bistånd decision; recorded only by socialtjänst, after the proposal (<see cref="Case.SetInterventionDecisionReference"/>).</summary>
    public string? DecisionReference { get; private set; }
    public DateTimeOffset ProposedAt { get; private set; }
    public InterventionOutcome? Outcome { get; private set; }

    /// <summary>Personal data.</summary>
    public string? OutcomeComment { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public IReadOnlyList<InterventionTrigger> PermittedTriggers => Build(this).PermittedTriggers;

    /// <summary>
    /// Decision 11, stated once for the domain and the pages: the assessment of an insats at a follow-up is recorded by
    /// its responsible person or by a case member (<paramref name="membershipParty"/>: the user's party in the team, if
    /// a member) of the party that owns it.
    /// </summary>
    public static bool MayRecordAssessment(Party ownerParty, Guid responsibleUserId, Guid userId, Party? membershipParty) =>
        userId == responsibleUserId || membershipParty == ownerParty;

    /// <summary>An insats's start and planned end lie within this many years of today, either way (decision 14).</summary>
    public const int DateRangeYears = 10;

    internal static Intervention Propose(
        InterventionType type, Party ownerParty, Guid responsibleUserId, string goal,
        DateOnly? startDate, DateOnly? plannedEndDate, bool isBistand, DateTimeOffset now)
    {
        if (isBistand && ownerParty != Party.Socialtjanst)
            throw new DomainValidationException("isBistand", "Endast socialtjänstens insatser kan vara bistånd.");
        var today = SwedishCalendar.DateOf(now);
        foreach (var (field, date) in new[] { ("startDate", startDate), ("plannedEndDate", plannedEndDate) })
            if (date is { } d && (d < today.AddYears(-DateRangeYears) || d > today.AddYears(DateRangeYears)))
                throw new DomainValidationException(field, $"Datumet måste ligga inom {DateRangeYears} år från i dag.");
        if (startDate is { } start && plannedEndDate is { } end && end < start)
            throw new DomainValidationException("plannedEndDate", "Planerat slut ligger före start.");
        return new Intervention
        {
            Id = Guid.CreateVersion7(now),
            State = InterventionState.Proposed,
            Type = type,
            OwnerParty = ownerParty,
            ResponsibleUserId = responsibleUserId,
            Goal = DomainText.Required(goal, "goal", "Mål för insatsen saknas.", TextLimits.InterventionGoal, multiline: true),
            StartDate = startDate,
            PlannedEndDate = plannedEndDate,
            IsBistand = isBistand,
            ProposedAt = now,
        };
    }

    internal void SetDecisionReference(string decisionReference)
    {
        if (State != InterventionState.Proposed)
            throw new DomainRuleException("InterventionAlreadyPlanned", "Beslutsreferensen kan bara anges innan insatsen är planerad.");
        DecisionReference = DomainText.Required(decisionReference, "decisionReference", "Beslutsreferens saknas.", TextLimits.Reference);
    }

    internal TransitionEvent Plan(Guid actorUserId, DateTimeOffset now) => Fire(InterventionTrigger.Plan, actorUserId, now, null);

    internal TransitionEvent Start(Guid actorUserId, DateTimeOffset now) => Fire(InterventionTrigger.Start, actorUserId, now, null);

    internal TransitionEvent Complete(InterventionOutcome outcome, string? comment, Guid actorUserId, DateTimeOffset now)
    {
        var outcomeComment = DomainText.Optional(comment, "outcomeComment", TextLimits.OutcomeComment, multiline: true);
        var transition = Fire(InterventionTrigger.Complete, actorUserId, now, null);
        Outcome = outcome;
        OutcomeComment = outcomeComment;
        CompletedAt = now;
        return transition;
    }

    /// <summary>
    /// Cancels the insats while Proposed, Planned (decided) or Ongoing; the reason is required and recorded on the
    /// transition. In any other state the refusal (state and permitted triggers) comes before the reason is asked for.
    /// </summary>
    internal TransitionEvent Cancel(Guid actorUserId, DateTimeOffset now, string? reason)
    {
        var text = PermittedTriggers.Contains(InterventionTrigger.Cancel)
            ? DomainText.Required(reason ?? "", "reason", "Ange skälet till att insatsen avbryts.", TextLimits.Reason, multiline: true)
            : reason;
        return Fire(InterventionTrigger.Cancel, actorUserId, now, text);
    }

    private TransitionEvent Fire(InterventionTrigger trigger, Guid actorUserId, DateTimeOffset now, string? reason) =>
        TransitionEvent.Of(WorkflowName, Id, Build(this).Fire(trigger), actorUserId, now, reason);

    internal static BoundWorkflow<Intervention, InterventionState, InterventionTrigger> Build(Intervention i) => Machine.Bind(i);

    private static readonly WorkflowMachine<Intervention, InterventionState, InterventionTrigger> Machine =
        new(WorkflowName, i => i.State, (i, s) => i.State = s, (workflow, bound) =>
    {
        workflow.Configure(InterventionState.Proposed)
            .PermitIf(InterventionTrigger.Plan, InterventionState.Planned,
                () => !bound().IsBistand || bound().DecisionReference is not null,
                "Bistånd från socialtjänsten kräver en beslutsreferens")
            .Permit(InterventionTrigger.Cancel, InterventionState.Cancelled);
        workflow.Configure(InterventionState.Planned)
            .Permit(InterventionTrigger.Start, InterventionState.Ongoing)
            .Permit(InterventionTrigger.Cancel, InterventionState.Cancelled);
        workflow.Configure(InterventionState.Ongoing)
            .Permit(InterventionTrigger.Complete, InterventionState.Completed)
            .Permit(InterventionTrigger.Cancel, InterventionState.Cancelled);
    });
}
