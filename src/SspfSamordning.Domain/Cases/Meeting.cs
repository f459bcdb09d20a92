using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Cases;

public enum MeetingKind
{
    /// <summary>Kartläggning with the youth and guardians, before the first network meeting.</summary>
    Mapping,
    Network,
}

public enum MeetingState
{
    Scheduled,
    Held,
    MinutesApproved,
    Cancelled,
    Rescheduled,
}

public enum MeetingTrigger
{
    Hold,
    ApproveMinutes,
    Cancel,
    Reschedule,
    Schedule,

    /// <summary>The draft minutes of a held meeting are changed; the state stays (an internal transition, recorded in the history).</summary>
    UpdateMinutes,

    /// <summary>The action plan is adopted or revised at this held network meeting; the state stays (recorded in the history).</summary>
    SetActionPlan,
}

/// <summary>SSPF-möte. Changed only through <see cref="Case"/>.</summary>
public sealed class Meeting
{
    public const string WorkflowName = nameof(Meeting);

    private readonly List<Guid> _inviteeUserIds = [];
    private readonly List<Guid> _attendeeUserIds = [];
    private readonly List<Guid> _attendingGuardianIds = [];

    private Meeting()
    {
    }

    public static WorkflowDescription Definition => Machine.Describe();

    public Guid Id { get; private set; }
    public MeetingKind Kind { get; private set; }
    public MeetingState State { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public string? Location { get; private set; }
    public Guid OrganizerUserId { get; private set; }
    public IReadOnlyCollection<Guid> InviteeUserIds => _inviteeUserIds;
    public IReadOnlyCollection<Guid> AttendeeUserIds => _attendeeUserIds;
    public IReadOnlyCollection<Guid> AttendingGuardianIds => _attendingGuardianIds;
    public bool YouthAttended { get; private set; }

    /// <summary>Draft minutes while Held, frozen once MinutesApproved (personal data).</summary>
    public string? Minutes { get; private set; }

    public DateTimeOffset? HeldAt { get; private set; }
    public DateTimeOffset? MinutesApprovedAt { get; private set; }
    public Guid? MinutesApprovedByUserId { get; private set; }

    public IReadOnlyList<MeetingTrigger> PermittedTriggers(DateTimeOffset now) => Build(this, now).PermittedTriggers;

    internal static Meeting Schedule(
        MeetingKind kind, DateTimeOffset startsAt, string? location, IEnumerable<Guid> inviteeUserIds,
        Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        CheckStart(startsAt, now, rules);
        return Create(kind, startsAt, location, inviteeUserIds, actorUserId, now);
    }

    /// <summary>A booked meeting lies in the future, at most <see cref="CaseRules.MeetingMaxMonthsAhead"/> ahead (decision 14).</summary>
    private static void CheckStart(DateTimeOffset startsAt, DateTimeOffset now, CaseRules rules)
    {
        if (startsAt <= now)
            throw new DomainValidationException("startsAt", "Mötet måste ligga i framtiden.");
        if (startsAt > SwedishCalendar.AddMonths(now, rules.MeetingMaxMonthsAhead))
            throw new DomainValidationException("startsAt", $"Mötet kan bokas högst {rules.MeetingMaxMonthsAhead} månader fram.");
    }

    /// <summary>
    /// A meeting that already took place, recorded afterwards (at most <paramref name="window"/> back): booked at its
    /// past time with the attendees as invitees, then held through the transition table's Hold (its guard, that the
    /// time has come, holds). <see cref="HeldAt"/> is when it took place.
    /// </summary>
    internal static (Meeting Meeting, TransitionEvent Held) RecordHeld(
        MeetingKind kind, DateTimeOffset startsAt, string? location, IReadOnlyList<Guid> attendeeUserIds, bool youthAttended,
        IEnumerable<Guid> attendingGuardianIds, string? draftMinutes, Guid actorUserId, DateTimeOffset now, TimeSpan window)
    {
        if (startsAt > now)
            throw new DomainValidationException("startsAt", "Ett hållet möte kan inte ligga i framtiden; boka det i stället.");
        if (startsAt < now - window)
            throw new DomainValidationException("startsAt", $"Ett hållet möte kan registreras högst {window.TotalDays:0} dagar i efterhand.");
        var meeting = Create(kind, startsAt, location, attendeeUserIds, actorUserId, now);
        var held = meeting.Hold(attendeeUserIds, youthAttended, attendingGuardianIds, draftMinutes, actorUserId, now);
        meeting.HeldAt = startsAt;
        return (meeting, held);
    }

    private static Meeting Create(
        MeetingKind kind, DateTimeOffset startsAt, string? location, IEnumerable<Guid> inviteeUserIds, Guid actorUserId, DateTimeOffset now)
    {
        var checkedLocation = DomainText.Optional(location, "location", TextLimits.Location);
        var meeting = new Meeting
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind,
            State = MeetingState.Scheduled,
            StartsAt = startsAt,
            Location = checkedLocation,
            OrganizerUserId = actorUserId,
        };
        meeting._inviteeUserIds.AddRange(inviteeUserIds.Distinct());
        return meeting;
    }

    internal TransitionEvent Hold(
        IEnumerable<Guid> attendeeUserIds, bool youthAttended, IEnumerable<Guid> attendingGuardianIds, string? draftMinutes,
        Guid actorUserId, DateTimeOffset now)
    {
        var minutes = DomainText.Optional(draftMinutes, "minutes", TextLimits.Minutes, multiline: true);
        var transition = Fire(MeetingTrigger.Hold, actorUserId, now, null);
        _attendeeUserIds.AddRange(attendeeUserIds.Distinct());
        _attendingGuardianIds.AddRange(attendingGuardianIds.Distinct());
        YouthAttended = youthAttended;
        Minutes = minutes;
        HeldAt = now;
        return transition;
    }

    /// <summary>Replaces the draft minutes; recorded as a history event with who and when (decision 3).</summary>
    internal TransitionEvent UpdateMinutes(string minutes, Guid actorUserId, DateTimeOffset now)
    {
        if (State != MeetingState.Held)
            throw new DomainRuleException("MinutesNotEditable", "Protokollet kan bara ändras när mötet är hållet och protokollet inte är justerat.");
        var text = DomainText.Required(minutes, "minutes", "Protokollet är tomt.", TextLimits.Minutes, multiline: true);
        var transition = Fire(MeetingTrigger.UpdateMinutes, actorUserId, now, null);
        Minutes = text;
        return transition;
    }

    /// <summary>The history event of adopting or revising the action plan at this meeting (decision 3).</summary>
    internal TransitionEvent RecordActionPlan(Guid actorUserId, DateTimeOffset now) => Fire(MeetingTrigger.SetActionPlan, actorUserId, now, null);

    internal TransitionEvent ApproveMinutes(Guid actorUserId, DateTimeOffset now)
    {
        var transition = Fire(MeetingTrigger.ApproveMinutes, actorUserId, now, null);
        MinutesApprovedAt = now;
        MinutesApprovedByUserId = actorUserId;
        return transition;
    }

    internal TransitionEvent Cancel(Guid actorUserId, DateTimeOffset now, string? reason) =>
        Fire(MeetingTrigger.Cancel, actorUserId, now, reason);

    internal TransitionEvent Postpone(Guid actorUserId, DateTimeOffset now, string? reason) =>
        Fire(MeetingTrigger.Reschedule, actorUserId, now, reason);

    internal TransitionEvent ScheduleAgain(DateTimeOffset startsAt, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        CheckStart(startsAt, now, rules);
        var transition = Fire(MeetingTrigger.Schedule, actorUserId, now, null);
        StartsAt = startsAt;
        return transition;
    }

    private TransitionEvent Fire(MeetingTrigger trigger, Guid actorUserId, DateTimeOffset now, string? reason) =>
        TransitionEvent.Of(WorkflowName, Id, Build(this, now).Fire(trigger), actorUserId, now, reason);

    internal static BoundWorkflow<(Meeting Meeting, DateTimeOffset Now), MeetingState, MeetingTrigger> Build(Meeting m, DateTimeOffset now) =>
        Machine.Bind((m, now));

    private static readonly WorkflowMachine<(Meeting Meeting, DateTimeOffset Now), MeetingState, MeetingTrigger> Machine =
        new(WorkflowName, x => x.Meeting.State, (x, s) => x.Meeting.State = s, (workflow, bound) =>
    {
        workflow.Configure(MeetingState.Scheduled)
            .PermitIf(MeetingTrigger.Hold, MeetingState.Held, () => bound().Now >= bound().Meeting.StartsAt, "Mötestiden har inträffat")
            .Permit(MeetingTrigger.Cancel, MeetingState.Cancelled)
            .Permit(MeetingTrigger.Reschedule, MeetingState.Rescheduled);
        workflow.Configure(MeetingState.Held)
            .PermitIf(MeetingTrigger.ApproveMinutes, MeetingState.MinutesApproved, () => !string.IsNullOrWhiteSpace(bound().Meeting.Minutes), "Ett protokollutkast finns")
            .InternalTransitionIf(MeetingTrigger.UpdateMinutes, _ => bound().Meeting.MinutesApprovedAt is null, _ => { }, "Protokollet är inte justerat");
        foreach (var held in new[] { MeetingState.Held, MeetingState.MinutesApproved })
            workflow.Configure(held)
                .InternalTransitionIf(MeetingTrigger.SetActionPlan, _ => bound().Meeting.Kind == MeetingKind.Network, _ => { }, "Mötet är ett nätverksmöte");
        workflow.Configure(MeetingState.Rescheduled)
            .Permit(MeetingTrigger.Schedule, MeetingState.Scheduled);
    });
}
