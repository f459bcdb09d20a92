using System.Linq.Expressions;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Cases;

public enum CaseState
{
    Opened,
    AwaitingConsent,
    Active,
    Closed,
    Declined,
}

public enum CaseTrigger
{
    RequestConsent,
    Activate,
    Decline,
    ConsentLost,
    Close,
    Reopen,
}

public enum CloseReason
{
    GoalsReached,
    ConsentWithdrawn,
    Moved,
    AgeLimit,
    HandedOver,
    Other,
    NotRelevant,
}

/// <summary>Why the signal reached the coordinator.</summary>
public enum SignalCategory
{
    CriminalActivity,
    SubstanceUse,
    ViolenceOrThreats,
    CriminalNetworkRecruitment,
    SchoolAbsence,
    ConcernForWellbeing,
    Other,
}

/// <summary>
/// Ärende: the aggregate root. Owns the youth, guardians, members, consents, meetings, action plan,
/// interventions, follow-ups, disclosures, deadlines and the transition history; every change to
/// them goes through a method here, so one save persists the change and its effects.
/// </summary>
public sealed class Case
{
    public const string WorkflowName = nameof(Case);

    /// <summary>
    /// Closed or declined: the case takes no more work, it no longer counts as the youth's open case (the one-open-case
    /// rule: <see cref="OpenRule"/>), and only an ended case is erased when its retention ends. The one definition, for
    /// SQL and memory.
    /// </summary>
    public static readonly Expression<Func<Case, bool>> EndedRule = c => c.State == CaseState.Closed || c.State == CaseState.Declined;

    /// <summary>Not ended: the youth's open case, for the one-open-case rule.</summary>
    public static readonly Expression<Func<Case, bool>> OpenRule = RuleExpression.Not(EndedRule);

    private static readonly Func<Case, bool> Ended = EndedRule.Compile();

    private readonly List<Party> _proposedParties = [];
    private readonly List<Guardian> _guardians = [];
    private readonly List<CaseMember> _members = [];
    private readonly List<MembershipPeriod> _membershipHistory = [];
    private readonly List<Consent> _consents = [];
    private readonly List<Meeting> _meetings = [];
    private readonly List<Intervention> _interventions = [];
    private readonly List<FollowUp> _followUps = [];
    private readonly List<Disclosure> _disclosures = [];
    private readonly List<Deadline> _deadlines = [];
    private readonly List<TransitionEvent> _history = [];

    private Case()
    {
    }

    public static WorkflowDescription Definition => Machine.Describe();

    public Guid Id { get; private set; }
    public Guid MunicipalityId { get; private set; }

    /// <summary>Display number assigned by the API, e.g. SSPF-2026-0042.</summary>
    public string CaseNumber { get; private set; } = "";

    public CaseState State { get; private set; }
    public Youth Youth { get; private set; } = null!;
    public SignalCategory SignalCategory { get; private set; }
    public IReadOnlyList<Party> ProposedParties => _proposedParties;
    public Guid CoordinatorUserId { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>The youth's age band on the day the case was opened: plain text for the statistics (null on older cases).</summary>
    public Statistics.AgeBand? AgeBandAtOpening { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public CloseReason? CloseReason { get; private set; }

    /// <summary>Personal data.</summary>
    public string? CloseComment { get; private set; }

    public DateTimeOffset? ReopenableUntil { get; private set; }
    public ActionPlan? ActionPlan { get; private set; }

    public IReadOnlyCollection<Guardian> Guardians => _guardians;
    public IReadOnlyCollection<CaseMember> Members => _members;

    /// <summary>
    /// Every period of team membership, ended ones included. Not needed for the case's own rules: a change loads the
    /// removed user's open period (<see cref="RemoveMember"/>) and a new period is simply added.
    /// </summary>
    public IReadOnlyCollection<MembershipPeriod> MembershipHistory => _membershipHistory;
    public IReadOnlyCollection<Consent> Consents => _consents;
    public IReadOnlyCollection<Meeting> Meetings => _meetings;
    public IReadOnlyCollection<Intervention> Interventions => _interventions;
    public IReadOnlyCollection<FollowUp> FollowUps => _followUps;
    public IReadOnlyCollection<Disclosure> Disclosures => _disclosures;
    public IReadOnlyCollection<Deadline> Deadlines => _deadlines;
    public IReadOnlyCollection<TransitionEvent> History => _history;

    /// <summary>At most this many guardians per case, of whom at most <see cref="MaxGuardiansWithCustody"/> with custody.</summary>
    public const int MaxGuardians = 4;
    public const int MaxGuardiansWithCustody = 2;

    public static Case Open(
        Guid municipalityId, string caseNumber, Youth youth, IEnumerable<Guardian> guardians,
        SignalCategory signalCategory, IEnumerable<Party> proposedParties, Guid coordinatorUserId, DateTimeOffset now)
    {
        var parties = proposedParties.ToList();
        if (parties.Count != parties.Distinct().Count())
            throw new DomainValidationException("proposedParties", "Varje aktör får bara föreslås en gång.");
        var guardianList = guardians.ToList();
        CheckGuardians(guardianList, youth ?? throw new ArgumentNullException(nameof(youth)));
        var @case = new Case
        {
            Id = Guid.CreateVersion7(now),
            MunicipalityId = municipalityId,
            CaseNumber = DomainValidationException.Required(caseNumber, "caseNumber", "Ärendenummer saknas."),
            State = CaseState.Opened,
            Youth = youth ?? throw new ArgumentNullException(nameof(youth)),
            SignalCategory = signalCategory,
            CoordinatorUserId = coordinatorUserId,
            OpenedAt = now,
            AgeBandAtOpening = Statistics.AgeBands.Of(youth.AgeOn(SwedishCalendar.DateOf(now))),
        };
        @case._guardians.AddRange(guardianList);
        @case._proposedParties.AddRange(parties);
        return @case;
    }

    /// <summary>
    /// A case's guardians: at most <see cref="MaxGuardians"/>, at most <see cref="MaxGuardiansWithCustody"/> with custody
    /// (a child has at most two custodians), and distinct people — none with the youth's or another guardian's personnummer.
    /// </summary>
    private static void CheckGuardians(IReadOnlyCollection<Guardian> guardians, Youth youth)
    {
        if (guardians.Count > MaxGuardians)
            throw new DomainValidationException("guardians", $"Högst {MaxGuardians} vårdnadshavare kan anges.");
        if (guardians.Count(g => g.HasCustody) > MaxGuardiansWithCustody)
            throw new DomainValidationException("guardians", $"Högst {MaxGuardiansWithCustody} vårdnadshavare kan ha vårdnaden.");
        var numbers = guardians.Where(g => g.Personnummer is not null).Select(g => g.Personnummer!).ToList();
        if (numbers.Contains(youth.Personnummer))
            throw new DomainValidationException("guardians", "En vårdnadshavare kan inte ha ungdomens personnummer.");
        if (numbers.Count != numbers.Distinct().Count())
            throw new DomainValidationException("guardians", "Samma person finns flera gånger bland vårdnadshavarna.");
    }

    // ---- Queries ---------------------------------------------------------------------------

    public IReadOnlyList<CaseTrigger> PermittedTriggers(DateTimeOffset now) => Build(this, now).PermittedTriggers;

    public bool IsMember(Guid userId) => _members.Any(m => m.UserId == userId);

    public bool HasConsentInForce(DateTimeOffset now) => _consents.Any(c => c.IsInForce(now));

    public bool ConsentCovers(Party party, DateTimeOffset now) => _consents.Any(c => c.Covers(party, now));

    /// <summary>
    /// The information categories a case member of <paramref name="party"/> may see now: everything for
    /// socialtjänst; otherwise what a consent in force shares with the party plus what a disclosure in
    /// force gives this user. Empty for non-members. (Coordinator access is by role, in the API.)
    /// </summary>
    public IReadOnlySet<InformationCategory> VisibleCategories(Guid userId, Party party, DateTimeOffset now)
    {
        if (!IsMember(userId)) return new HashSet<InformationCategory>();
        if (party == Party.Socialtjanst) return Enum.GetValues<InformationCategory>().ToHashSet();
        return _consents.Where(c => c.Covers(party, now)).SelectMany(c => c.Categories)
            .Concat(_disclosures.Where(d => d.Grants(userId, now)).SelectMany(d => d.Categories))
            .ToHashSet();
    }

    /// <summary>Who must sign a consent on the day of <paramref name="now"/> (Swedish date), by the youth's age.</summary>
    public IReadOnlyList<Signatory> RequiredSignatories(DateTimeOffset now)
    {
        var age = Youth.AgeOn(SwedishCalendar.DateOf(now));
        if (age >= 18) return [Signatory.Youth];
        var guardians = _guardians.Where(g => g.HasCustody).Select(g => Signatory.Guardian(g.Id)).ToList();
        if (guardians.Count == 0)
            throw new DomainRuleException("NoGuardianWithCustody", "Ingen vårdnadshavare med vårdnad finns registrerad i ärendet.");
        return age >= 15 ? [.. guardians, Signatory.Youth] : guardians;
    }

    // ---- Case ------------------------------------------------------------------------------

    public void Close(CloseReason reason, string? comment, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        var trimmedComment = DomainText.Optional(comment, "closeComment", TextLimits.CloseComment, multiline: true);
        Fire(CaseTrigger.Close, actorUserId, now, trimmedComment is null ? reason.ToString() : $"{reason}: {trimmedComment}");
        ClosedAt = now;
        CloseReason = reason;
        CloseComment = trimmedComment;
        ReopenableUntil = SwedishCalendar.AddMonths(now, rules.ReopenWithinMonths);
        EndOpenWork(actorUserId, now);
    }

    /// <summary>
    /// When the case ends (closed or declined): every follow-up still open, Overdue included, and every reminder, all in
    /// the change that ends it (decision 5) — an ended case has no task left that nobody could complete.
    /// </summary>
    private void EndOpenWork(Guid actorUserId, DateTimeOffset now)
    {
        foreach (var followUp in _followUps.Where(f => f.IsOpen))
            _history.Add(followUp.CancelWithCase(actorUserId, now));
        foreach (var deadline in _deadlines)
            deadline.Close(DeadlineState.Cancelled, now);
    }

    /// <summary>
    /// Back to Opened within the reopen period; the API must first check that the youth has no other open case. Closing
    /// cancelled the reminders and future follow-ups (domain.md); reopening resumes what still applies (decision 13): a
    /// consent still valid gets its expiry reminder and deadline back (one whose end has passed expires now), a request
    /// still unanswered a new answer deadline, and a case with an action plan its next follow-up.
    /// </summary>
    public void Reopen(string? reason, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        reason = DomainText.Reason(reason);
        Fire(CaseTrigger.Reopen, actorUserId, now, reason);
        ClosedAt = null;
        CloseReason = null;
        CloseComment = null;
        ReopenableUntil = null;
        foreach (var consent in _consents)
        {
            if (consent.State == ConsentState.Valid && now >= consent.ValidTo)
                _history.Add(consent.Expire(now));
            else if (consent.State == ConsentState.Valid)
                AddExpiryDeadline(consent, now, rules);
            else if (consent.State is ConsentState.Requested or ConsentState.PartiallyGiven)
                AddAnswerDeadline(consent, actorUserId, now, rules);
        }
        if (ActionPlan is not null)
            ScheduleFollowUp(SwedishCalendar.AddMonths(now, rules.FollowUpIntervalMonths), now, rules);
    }

    public void AddGuardian(Guardian guardian)
    {
        EnsureNotEnded();
        CheckGuardians([.. _guardians, guardian], Youth);
        _guardians.Add(guardian);
    }

    public CaseMember AddMember(Guid userId, Party party, Guid actorUserId, DateTimeOffset now)
    {
        EnsureNotEnded();
        if (IsMember(userId))
            throw new DomainRuleException("AlreadyMember", "Användaren är redan medlem i ärendet.");
        var member = CaseMember.Create(userId, party, actorUserId, now);
        _members.Add(member);
        _membershipHistory.Add(MembershipPeriod.Begin(member));
        return member;
    }

    /// <summary>Removes the user from the team and ends their membership period (which the caller has loaded with the case).</summary>
    public void RemoveMember(Guid userId, Guid actorUserId, DateTimeOffset now)
    {
        var member = _members.FirstOrDefault(m => m.UserId == userId) ?? throw new DomainNotFoundException("Medlem", userId);
        _members.Remove(member);
        foreach (var period in _membershipHistory.Where(p => p.UserId == userId && p.Until is null))
            period.End(actorUserId, now);
    }

    // ---- Consent ---------------------------------------------------------------------------

    public Consent RequestConsent(
        IEnumerable<Party> parties, IEnumerable<InformationCategory> categories, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureNotEnded();
        if (_consents.Any(c => c.State is ConsentState.Requested or ConsentState.PartiallyGiven))
            throw new DomainRuleException("ConsentAlreadyRequested", "Ett samtycke väntar redan på svar.");
        var consent = Consent.Request(parties, categories, rules.ConsentValidityMonths, actorUserId, now);
        if (State == CaseState.Opened)
            Fire(CaseTrigger.RequestConsent, actorUserId, now, null);
        _consents.Add(consent);
        AddAnswerDeadline(consent, actorUserId, now, rules);
        return consent;
    }

    public void AnswerConsent(Guid consentId, SignatoryAnswer answer, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureNotEnded();
        var consent = ConsentWith(consentId);
        var required = RequiredSignatories(now);
        if (!required.Contains(answer.Signatory))
            throw new DomainRuleException("NotASignatory", NotASignatoryMessage(answer.Signatory, now));
        _history.Add(consent.Answer(answer, required, actorUserId, now));

        if (consent.State == ConsentState.Valid)
        {
            _deadlines.Close(consent.Id, DeadlineKind.ConsentUnanswered, DeadlineState.Completed, now);
            AddExpiryDeadline(consent, now, rules);
            if (State == CaseState.AwaitingConsent)
                Fire(CaseTrigger.Activate, actorUserId, now, null);
        }
        else if (consent.State == ConsentState.Refused)
        {
            ConsentRefused(consent, actorUserId, now);
        }
    }

    /// <summary>Any signatory, at any time: a valid consent becomes Withdrawn, a pending one Refused.</summary>
    public void WithdrawConsent(Guid consentId, Signatory signatory, string? reason, Guid actorUserId, DateTimeOffset now)
    {
        reason = DomainText.Reason(reason);
        var consent = ConsentWith(consentId);
        EnsureSignatory(consent, signatory, now);
        _history.Add(consent.Withdraw(actorUserId, now, reason));
        if (consent.State == ConsentState.Refused)
            ConsentRefused(consent, actorUserId, now);
        else
            ConsentEnded(consent, actorUserId, now);
    }

    /// <summary>A signatory narrows the scope; it takes effect immediately. Widening needs a new consent.</summary>
    public void NarrowConsentScope(
        Guid consentId, IEnumerable<Party> parties, IEnumerable<InformationCategory> categories, Signatory signatory,
        Guid actorUserId, DateTimeOffset now)
    {
        var consent = ConsentWith(consentId);
        EnsureSignatory(consent, signatory, now);
        _history.Add(consent.NarrowScope(parties, categories, actorUserId, now));
    }

    /// <summary>For the scheduler: expires consents past their end and marks follow-ups overdue.</summary>
    public void AdvanceTime(DateTimeOffset now)
    {
        foreach (var consent in _consents.Where(c => c.State == ConsentState.Valid && now >= c.ValidTo).ToList())
        {
            _history.Add(consent.Expire(now));
            ConsentEnded(consent, TransitionEvent.SystemActor, now);
        }
        foreach (var followUp in _followUps.Where(f => f.State == FollowUpState.Scheduled && now > f.DueAt))
            _history.Add(followUp.MarkOverdue(now));
    }

    // ---- Meetings and action plan ----------------------------------------------------------

    public Meeting ScheduleMeeting(
        MeetingKind kind, DateTimeOffset startsAt, string? location, IEnumerable<Guid> inviteeUserIds,
        Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureNotEnded();
        if (kind == MeetingKind.Network)
            EnsureActive();
        var invitees = EnsureInvitable(inviteeUserIds, now);
        var meeting = Meeting.Schedule(kind, startsAt, location, invitees, actorUserId, now, rules);
        _meetings.Add(meeting);
        AddDeadline(DeadlineKind.Meeting, meeting.Id, startsAt, startsAt - rules.MeetingReminder, actorUserId, now);
        return meeting;
    }

    /// <summary>
    /// Records a meeting that already took place (up to <see cref="CaseRules.MeetingRecordWindow"/> back) as held, with
    /// the same rules as booking one (kind, case state, attendees as invitees) and as holding one (guardians of the case);
    /// the minutes are then due for approval as after any held meeting.
    /// </summary>
    public Meeting RecordHeldMeeting(
        MeetingKind kind, DateTimeOffset startsAt, string? location, IEnumerable<Guid> attendeeUserIds, bool youthAttended,
        IEnumerable<Guid> attendingGuardianIds, string? draftMinutes, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureNotEnded();
        if (kind == MeetingKind.Network)
            EnsureActive();
        var attendees = EnsureInvitable(attendeeUserIds, now);
        var guardians = attendingGuardianIds.ToList();
        if (guardians.Any(g => _guardians.All(x => x.Id != g)))
            throw new DomainValidationException("attendingGuardianIds", "En deltagande vårdnadshavare finns inte i ärendet.");
        var (meeting, held) = Meeting.RecordHeld(kind, startsAt, location, attendees, youthAttended, guardians, draftMinutes,
            actorUserId, now, rules.MeetingRecordWindow);
        _meetings.Add(meeting);
        _history.Add(held);
        var due = now + rules.MinutesApprovalDeadline;
        AddDeadline(DeadlineKind.MinutesApproval, meeting.Id, due, due, meeting.OrganizerUserId, now);
        return meeting;
    }

    /// <summary>Every invitee (but the coordinator) must be a member whose party the consent in force covers.</summary>
    private List<Guid> EnsureInvitable(IEnumerable<Guid> userIds, DateTimeOffset now)
    {
        var invitees = userIds.Distinct().ToList();
        foreach (var userId in invitees.Where(u => u != CoordinatorUserId))
        {
            var member = _members.FirstOrDefault(m => m.UserId == userId)
                ?? throw new DomainRuleException("InviteeNotMember", "Den inbjudna personen är inte medlem i ärendet.");
            if (!ConsentCovers(member.Party, now))
                throw new DomainRuleException("InviteeOutsideConsent", $"{member.Party.SwedishName()} omfattas inte av samtycket och kan inte bjudas in.");
        }
        return invitees;
    }

    /// <summary>Reschedule: Scheduled → Rescheduled; with a new time, straight on to Scheduled again (Schedule).</summary>
    public void RescheduleMeeting(Guid meetingId, DateTimeOffset? newStartsAt, string? reason, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        reason = DomainText.Reason(reason);
        EnsureNotEnded();
        var meeting = MeetingWith(meetingId);
        if (newStartsAt <= now)
            throw new DomainValidationException("startsAt", "Mötet måste ligga i framtiden.");
        _history.Add(meeting.Postpone(actorUserId, now, reason));
        _deadlines.Close(meeting.Id, DeadlineKind.Meeting, DeadlineState.Cancelled, now);
        if (newStartsAt is { } startsAt)
            ScheduleMeetingAgain(meetingId, startsAt, actorUserId, now, rules);
    }

    /// <summary>Schedule: a Rescheduled meeting gets its new time and is Scheduled again.</summary>
    public void ScheduleMeetingAgain(Guid meetingId, DateTimeOffset startsAt, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureNotEnded();
        var meeting = MeetingWith(meetingId);
        _history.Add(meeting.ScheduleAgain(startsAt, actorUserId, now, rules));
        AddDeadline(DeadlineKind.Meeting, meeting.Id, startsAt, startsAt - rules.MeetingReminder, meeting.OrganizerUserId, now);
    }

    public void CancelMeeting(Guid meetingId, string? reason, Guid actorUserId, DateTimeOffset now)
    {
        reason = DomainText.Reason(reason);
        var meeting = MeetingWith(meetingId);
        _history.Add(meeting.Cancel(actorUserId, now, reason));
        _deadlines.Close(meeting.Id, DeadlineKind.Meeting, DeadlineState.Cancelled, now);
    }

    public void RecordMeetingHeld(
        Guid meetingId, IEnumerable<Guid> attendeeUserIds, bool youthAttended, IEnumerable<Guid> attendingGuardianIds,
        string? draftMinutes, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureNotEnded();
        var meeting = MeetingWith(meetingId);
        var attendees = attendeeUserIds.ToList();
        var guardians = attendingGuardianIds.ToList();
        if (attendees.Any(u => u != CoordinatorUserId && !IsMember(u)))
            throw new DomainValidationException("attendeeUserIds", "En deltagare är inte medlem i ärendet.");
        if (guardians.Any(g => _guardians.All(x => x.Id != g)))
            throw new DomainValidationException("attendingGuardianIds", "En deltagande vårdnadshavare finns inte i ärendet.");
        _history.Add(meeting.Hold(attendees, youthAttended, guardians, draftMinutes, actorUserId, now));
        _deadlines.Close(meeting.Id, DeadlineKind.Meeting, DeadlineState.Completed, now);
        var due = now + rules.MinutesApprovalDeadline;
        AddDeadline(DeadlineKind.MinutesApproval, meeting.Id, due, due, meeting.OrganizerUserId, now);
    }

    public void UpdateMinutes(Guid meetingId, string minutes, Guid actorUserId, DateTimeOffset now) =>
        _history.Add(MeetingWith(meetingId).UpdateMinutes(minutes, actorUserId, now));

    public void ApproveMinutes(Guid meetingId, Guid actorUserId, DateTimeOffset now)
    {
        var meeting = MeetingWith(meetingId);
        _history.Add(meeting.ApproveMinutes(actorUserId, now));
        _deadlines.Close(meeting.Id, DeadlineKind.MinutesApproval, DeadlineState.Completed, now);
    }

    /// <summary>
    /// Adopts the action plan at a held network meeting (scheduling the first follow-up), or revises it; either is a
    /// history event of that meeting with who and when (decision 3).
    /// </summary>
    public ActionPlan SetActionPlan(Guid meetingId, string goals, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureActive();
        var meeting = MeetingWith(meetingId);
        if (meeting.Kind != MeetingKind.Network || meeting.State is not (MeetingState.Held or MeetingState.MinutesApproved))
            throw new DomainRuleException("ActionPlanNeedsHeldNetworkMeeting", "Handlingsplanen upprättas vid ett hållet nätverksmöte.");
        if (ActionPlan is { } plan)
        {
            plan.Revise(meetingId, goals, now);
            _history.Add(meeting.RecordActionPlan(actorUserId, now));
            return plan;
        }
        ActionPlan = ActionPlan.Adopt(meetingId, goals, now);
        _history.Add(meeting.RecordActionPlan(actorUserId, now));
        ScheduleFollowUp(now + rules.FirstFollowUpAfterActionPlan, now, rules);
        return ActionPlan;
    }

    // ---- Interventions ---------------------------------------------------------------------

    public Intervention ProposeIntervention(
        InterventionType type, Party ownerParty, Guid responsibleUserId, string goal, DateOnly? startDate, DateOnly? plannedEndDate,
        bool isBistand, DateTimeOffset now)
    {
        EnsureActive();
        if (responsibleUserId != CoordinatorUserId && !IsMember(responsibleUserId))
            throw new DomainRuleException("ResponsibleNotMember", "Den ansvariga personen är inte medlem i ärendet.");
        // The owning party answers for its insats: its responsible person is one of that party's members (or the coordinator).
        if (_members.FirstOrDefault(m => m.UserId == responsibleUserId) is { } responsible && responsible.Party != ownerParty
            && responsibleUserId != CoordinatorUserId)
            throw new DomainValidationException("responsibleUserId",
                $"Den ansvariga personen tillhör {responsible.Party.SwedishName()}, men insatsen ägs av {ownerParty.SwedishName()}.");
        var intervention = Intervention.Propose(type, ownerParty, responsibleUserId, goal, startDate, plannedEndDate, isBistand, now);
        _interventions.Add(intervention);
        return intervention;
    }

    public void SetInterventionDecisionReference(Guid interventionId, string decisionReference, Party actorParty)
    {
        EnsureSocialServices(actorParty, "Endast socialtjänsten anger beslutsreferens för bistånd.");
        InterventionWith(interventionId).SetDecisionReference(decisionReference);
    }

    public void PlanIntervention(Guid interventionId, Guid actorUserId, DateTimeOffset now)
    {
        EnsureNotEnded();
        _history.Add(InterventionWith(interventionId).Plan(actorUserId, now));
    }

    public void StartIntervention(Guid interventionId, Guid actorUserId, DateTimeOffset now)
    {
        EnsureNotEnded();
        _history.Add(InterventionWith(interventionId).Start(actorUserId, now));
    }

    public void CompleteIntervention(Guid interventionId, InterventionOutcome outcome, string? comment, Guid actorUserId, DateTimeOffset now) =>
        _history.Add(InterventionWith(interventionId).Complete(outcome, comment, actorUserId, now));

    /// <summary>Cancels an insats that is Proposed, Planned or Ongoing, with a required reason (docs/domain-rules.md, decision 4).</summary>
    public void CancelIntervention(Guid interventionId, string? reason, Guid actorUserId, DateTimeOffset now) =>
        _history.Add(InterventionWith(interventionId).Cancel(actorUserId, now, reason));

    // ---- Follow-ups ------------------------------------------------------------------------

    /// <summary>
    /// Records an assessment for every Planned or Ongoing intervention and for the case as a whole: an insats the
    /// samordnare does not assess keeps the assessment its party recorded (decision 11); one with neither is refused.
    /// While the case is Active the next follow-up is scheduled from now.
    /// </summary>
    public void CompleteFollowUp(
        Guid followUpId, IReadOnlyDictionary<Guid, string> assessmentsByIntervention, string overallAssessment,
        Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        EnsureNotEnded();
        var followUp = FollowUpWith(followUpId);
        if (assessmentsByIntervention.Keys.Any(id => _interventions.All(i => i.Id != id)))
            throw new DomainValidationException("assessments", "Bedömningen gäller en insats som inte finns i ärendet.");
        var missing = _interventions
            .Where(i => i.State is InterventionState.Planned or InterventionState.Ongoing && !assessmentsByIntervention.ContainsKey(i.Id)
                && followUp.Assessments.All(a => a.InterventionId != i.Id))
            .ToList();
        if (missing.Count > 0)
            throw new DomainValidationException(new Dictionary<string, string[]>(
                missing.Select(i => KeyValuePair.Create($"assessments[{i.Id}]", new[] { "Bedömning av insatsen saknas." })))
            {
                ["assessments"] = [$"Bedömning saknas för {missing.Count} pågående eller planerade insatser."],
            });

        _history.Add(followUp.Complete(assessmentsByIntervention, overallAssessment, actorUserId, now));
        _deadlines.Close(followUp.Id, DeadlineKind.FollowUpDue, DeadlineState.Completed, now);
        if (State == CaseState.Active && !_followUps.Any(f => f.State is FollowUpState.Scheduled or FollowUpState.Overdue))
            ScheduleFollowUp(SwedishCalendar.AddMonths(now, rules.FollowUpIntervalMonths), now, rules);
    }

    /// <summary>
    /// Decision 11: who records the assessment of an insats at a follow-up before the samordnare completes it — a case
    /// member of the party that owns it, or its responsible person.
    /// </summary>
    public bool MayRecordAssessment(Guid interventionId, Guid userId)
    {
        var intervention = InterventionWith(interventionId);
        return Intervention.MayRecordAssessment(
            intervention.OwnerParty, intervention.ResponsibleUserId, userId, _members.FirstOrDefault(m => m.UserId == userId)?.Party);
    }

    /// <summary>
    /// Decision 11: records (or replaces) the assessment of one insats of this case at a Scheduled or Overdue follow-up,
    /// by a member of the owner party or the insats's responsible person. Not a transition: no history event.
    /// </summary>
    public void RecordFollowUpAssessment(Guid followUpId, Guid interventionId, string? assessment, Guid actorUserId, DateTimeOffset now)
    {
        EnsureNotEnded();
        var followUp = FollowUpWith(followUpId);
        if (!MayRecordAssessment(interventionId, actorUserId))
            throw new DomainRuleException("NotTheInsatsParty",
                "Bedömningen av insatsen registreras av insatsens ansvariga eller av den ägande aktörens medlemmar i ärendet.");
        followUp.RecordAssessment(interventionId, assessment, now);
    }

    public void CancelFollowUp(Guid followUpId, string? reason, Guid actorUserId, DateTimeOffset now)
    {
        reason = DomainText.Reason(reason);
        var followUp = FollowUpWith(followUpId);
        _history.Add(followUp.Cancel(actorUserId, now, reason));
        _deadlines.Close(followUp.Id, DeadlineKind.FollowUpDue, DeadlineState.Cancelled, now);
    }

    // ---- Disclosure without consent --------------------------------------------------------

    public Disclosure DiscloseWithoutConsent(
        string legalBasis, string justification, IEnumerable<InformationCategory> categories, string decisionMaker,
        Guid receivingPoliceUserId, DateTimeOffset endsAt, Guid actorUserId, Party actorParty, DateTimeOffset now, CaseRules rules)
    {
        EnsureSocialServices(actorParty, "Endast socialtjänsten kan lämna uppgifter utan samtycke.");
        EnsureNotEnded();
        if (!_members.Any(m => m.UserId == receivingPoliceUserId && m.Party == Party.Polis))
            throw new DomainRuleException("ReceiverNotPoliceMember", "Mottagaren måste vara en polis som är medlem i ärendet.");
        if (Youth.AgeOn(SwedishCalendar.DateOf(now)) >= 21)
            throw new DomainRuleException("YouthNotUnder21", "Uppgifter utan samtycke kan bara lämnas om en person under 21 år.");
        var disclosure = Disclosure.Create(
            legalBasis, justification, categories, decisionMaker, receivingPoliceUserId, endsAt, rules.DisclosureLegalBases,
            rules.DisclosureMaxMonths, actorUserId, now);
        _disclosures.Add(disclosure);
        return disclosure;
    }

    public void RevokeDisclosure(Guid disclosureId, string? reason, Guid actorUserId, Party actorParty, DateTimeOffset now)
    {
        reason = DomainText.Reason(reason);
        EnsureSocialServices(actorParty, "Endast socialtjänsten kan återkalla ett uppgiftslämnande.");
        _history.Add(DisclosureWith(disclosureId).Revoke(actorUserId, now, reason));
    }

    // ---- Internals -------------------------------------------------------------------------

    private void ConsentRefused(Consent consent, Guid actorUserId, DateTimeOffset now)
    {
        _deadlines.Close(consent.Id, DeadlineKind.ConsentUnanswered, DeadlineState.Completed, now);
        if (State != CaseState.AwaitingConsent) return;
        Fire(CaseTrigger.Decline, actorUserId, now, null);
        // Declined: nothing may be shared and the record awaits gallring (domain.md), so nothing is left to remind of.
        EndOpenWork(actorUserId, now);
    }

    private void ConsentEnded(Consent consent, Guid actorUserId, DateTimeOffset now)
    {
        _deadlines.Close(consent.Id, DeadlineKind.ConsentExpiring, DeadlineState.Cancelled, now);
        if (State == CaseState.Active && !HasConsentInForce(now))
            Fire(CaseTrigger.ConsentLost, actorUserId, now, null);
    }

    private void ScheduleFollowUp(DateTimeOffset dueAt, DateTimeOffset now, CaseRules rules)
    {
        var followUp = FollowUp.Schedule(dueAt, now);
        _followUps.Add(followUp);
        AddDeadline(DeadlineKind.FollowUpDue, followUp.Id, dueAt, dueAt - rules.FollowUpReminder, CoordinatorUserId, now);
    }

    private void AddAnswerDeadline(Consent consent, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        var due = now + rules.ConsentAnswerDeadline;
        AddDeadline(DeadlineKind.ConsentUnanswered, consent.Id, due, due, actorUserId, now);
    }

    /// <summary>The consent's end: the coordinator is reminded before it, and its passing expires the consent.</summary>
    private void AddExpiryDeadline(Consent consent, DateTimeOffset now, CaseRules rules)
    {
        var validTo = consent.ValidTo!.Value;
        AddDeadline(DeadlineKind.ConsentExpiring, consent.Id, validTo, validTo - rules.ConsentExpiryReminder, CoordinatorUserId, now);
    }

    private void AddDeadline(DeadlineKind kind, Guid subjectId, DateTimeOffset dueAt, DateTimeOffset? remindAt, Guid responsibleUserId, DateTimeOffset now) =>
        _deadlines.Add(Deadline.Create(kind, subjectId, dueAt, remindAt, responsibleUserId, CoordinatorUserId, now));

    private void EnsureSignatory(Consent consent, Signatory signatory, DateTimeOffset now)
    {
        if (!RequiredSignatories(now).Contains(signatory) && !consent.Answers.Any(a => a.Signatory == signatory))
            throw new DomainRuleException("NotASignatory", NotASignatoryMessage(signatory, now));
    }

    private string NotASignatoryMessage(Signatory signatory, DateTimeOffset now)
    {
        var age = Youth.AgeOn(SwedishCalendar.DateOf(now));
        return signatory.Kind switch
        {
            SignatoryKind.Guardian when age >= 18 => "Ungdomen har fyllt 18 år; vårdnadshavares samtycke räknas inte längre.",
            SignatoryKind.Youth => "Ungdomen är under 15 år; samtycket lämnas av vårdnadshavarna.",
            _ => "Vårdnadshavaren finns inte i ärendet eller saknar vårdnad.",
        };
    }

    private void EnsureNotEnded()
    {
        if (Ended(this))
            throw new DomainRuleException("CaseEnded", "Ärendet är avslutat.");
    }

    private void EnsureActive()
    {
        if (State != CaseState.Active)
            throw new DomainRuleException("CaseNotActive", "Ärendet är inte aktivt; ett giltigt samtycke krävs.");
    }

    private static void EnsureSocialServices(Party actorParty, string message)
    {
        if (actorParty != Party.Socialtjanst)
            throw new DomainRuleException("OnlySocialServices", message);
    }

    private Consent ConsentWith(Guid id) => Find(_consents, id, x => x.Id, "Samtycke");

    private Meeting MeetingWith(Guid id) => Find(_meetings, id, x => x.Id, "Möte");

    private Intervention InterventionWith(Guid id) => Find(_interventions, id, x => x.Id, "Insats");

    private FollowUp FollowUpWith(Guid id) => Find(_followUps, id, x => x.Id, "Uppföljning");

    private Disclosure DisclosureWith(Guid id) => Find(_disclosures, id, x => x.Id, "Uppgiftslämnande");

    private static T Find<T>(IEnumerable<T> items, Guid id, Func<T, Guid> idOf, string entity) where T : class =>
        items.FirstOrDefault(i => idOf(i) == id) ?? throw new DomainNotFoundException(entity, id);

    private void Fire(CaseTrigger trigger, Guid actorUserId, DateTimeOffset now, string? reason) =>
        _history.Add(TransitionEvent.Of(WorkflowName, Id, Build(this, now).Fire(trigger), actorUserId, now, reason));

    internal static BoundWorkflow<(Case Case, DateTimeOffset Now), CaseState, CaseTrigger> Build(Case c, DateTimeOffset now) =>
        Machine.Bind((c, now));

    private static readonly WorkflowMachine<(Case Case, DateTimeOffset Now), CaseState, CaseTrigger> Machine =
        new(WorkflowName, x => x.Case.State, (x, s) => x.Case.State = s, (workflow, bound) =>
    {
        Func<Case> c = () => bound().Case;
        Func<DateTimeOffset> now = () => bound().Now;
        workflow.Configure(CaseState.Opened)
            .Permit(CaseTrigger.RequestConsent, CaseState.AwaitingConsent)
            .Permit(CaseTrigger.Close, CaseState.Closed);
        workflow.Configure(CaseState.AwaitingConsent)
            .PermitIf(CaseTrigger.Activate, CaseState.Active, () => c().HasConsentInForce(now()), "Ett giltigt samtycke finns")
            .PermitIf(CaseTrigger.Decline, CaseState.Declined,
                () => c()._consents.MaxBy(x => x.RequestedAt)?.State == ConsentState.Refused, "Det senast begärda samtycket har vägrats")
            .Permit(CaseTrigger.Close, CaseState.Closed);
        workflow.Configure(CaseState.Active)
            .PermitIf(CaseTrigger.ConsentLost, CaseState.AwaitingConsent, () => !c().HasConsentInForce(now()), "Inget giltigt samtycke finns")
            .Permit(CaseTrigger.Close, CaseState.Closed);
        workflow.Configure(CaseState.Closed)
            .PermitIf(CaseTrigger.Reopen, CaseState.Opened, () => now() <= c().ReopenableUntil, "Ärendet avslutades inom tiden för återöppning");
    });
}
