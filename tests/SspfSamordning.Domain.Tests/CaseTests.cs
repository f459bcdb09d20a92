using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.Workflows;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public class CaseTests
{
    private static readonly Edge<CaseState, CaseTrigger>[] Table =
    [
        new(CaseState.Opened, CaseTrigger.RequestConsent, CaseState.AwaitingConsent),
        new(CaseState.Opened, CaseTrigger.Close, CaseState.Closed),
        new(CaseState.AwaitingConsent, CaseTrigger.Activate, CaseState.Active, "Ett giltigt samtycke finns"),
        new(CaseState.AwaitingConsent, CaseTrigger.Decline, CaseState.Declined, "Det senast begärda samtycket har vägrats"),
        new(CaseState.AwaitingConsent, CaseTrigger.Close, CaseState.Closed),
        new(CaseState.Active, CaseTrigger.ConsentLost, CaseState.AwaitingConsent, "Inget giltigt samtycke finns"),
        new(CaseState.Active, CaseTrigger.Close, CaseState.Closed),
        new(CaseState.Closed, CaseTrigger.Reopen, CaseState.Opened),
    ];

    public static TheoryData<CaseState, CaseTrigger> Pairs => TransitionTable.AllPairs<CaseState, CaseTrigger>();

    private static Case CaseIn(CaseState state)
    {
        var @case = NewCase();
        switch (state)
        {
            case CaseState.AwaitingConsent:
                RequestConsent(@case);
                break;
            case CaseState.Active:
                GiveValidConsent(@case);
                break;
            case CaseState.Closed:
                @case.Close(CloseReason.NotRelevant, null, Coordinator, Now, Rules);
                break;
            case CaseState.Declined:
                var consent = RequestConsent(@case);
                @case.AnswerConsent(consent.Id, Refuses(FirstGuardian(@case)), Coordinator, Now, Rules);
                break;
        }
        return @case;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fire_EveryStateAndTrigger_FollowsTheTransitionTable(CaseState state, CaseTrigger trigger) =>
        TransitionTable.Verify(Table, state, trigger, Case.Build(CaseIn(state), Now));

    [Fact]
    public void Definition_HoldsExactlyTheTransitionTable() => TransitionTable.VerifyDefinition(Table, Case.Definition);

    [Fact]
    public void Open_StartsInOpenedWithMinimalData()
    {
        var @case = NewCase();

        Assert.Equal(CaseState.Opened, @case.State);
        Assert.Equal("SSPF-2026-0042", @case.CaseNumber);
        Assert.Equal([Party.Skola, Party.Polis], @case.ProposedParties);
        Assert.NotEqual(Guid.Empty, @case.Id);
        Assert.Equal(12, @case.Youth.Personnummer.Length);
    }

    [Fact]
    public void RequestConsent_WhenOpened_MovesCaseToAwaitingConsentAndRecordsTheTransition()
    {
        var @case = NewCase();

        RequestConsent(@case);

        Assert.Equal(CaseState.AwaitingConsent, @case.State);
        var recorded = Assert.Single(@case.History);
        Assert.Equal(("Case", "Opened", "AwaitingConsent", "RequestConsent", Coordinator, Now),
            (recorded.Workflow, recorded.From, recorded.To, recorded.Trigger, recorded.ActorUserId, recorded.At));
        Assert.Equal(@case.Id, recorded.SubjectId);
    }

    [Fact]
    public void RequestConsent_WhileAnotherIsPending_IsRefused()
    {
        var @case = NewCase();
        RequestConsent(@case);

        var error = Assert.Throws<DomainRuleException>(() => RequestConsent(@case));

        Assert.Equal("ConsentAlreadyRequested", error.Code);
    }

    [Fact]
    public void AnswerConsent_WhenLastRequiredSignatoryGives_MovesCaseToActive()
    {
        var @case = NewCase();

        var consent = GiveValidConsent(@case);

        Assert.Equal(ConsentState.Valid, consent.State);
        Assert.Equal(CaseState.Active, @case.State);
        Assert.Contains(@case.History, e => e is { Workflow: "Case", Trigger: "Activate", To: "Active" });
    }

    [Fact]
    public void AnswerConsent_WhenSignatoryRefuses_MovesCaseToDeclined()
    {
        var @case = NewCase();
        var consent = RequestConsent(@case);

        @case.AnswerConsent(consent.Id, Refuses(FirstGuardian(@case)), Coordinator, Now, Rules);

        Assert.Equal(ConsentState.Refused, consent.State);
        Assert.Equal(CaseState.Declined, @case.State);
    }

    [Fact]
    public void Declined_CancelsEveryReminderOfTheCase_AsClosingDoes()
    {
        var @case = NewCase();
        var consent = RequestConsent(@case);
        var mapping = @case.ScheduleMeeting(MeetingKind.Mapping, Now.AddDays(10), null, [], Coordinator, Now, Rules);
        Assert.Contains(@case.Deadlines, d => d.SubjectId == mapping.Id && d.State == DeadlineState.Open);

        @case.AnswerConsent(consent.Id, Refuses(FirstGuardian(@case)), Coordinator, Now.AddHours(1), Rules);

        // Declined: the meeting that can no longer be held is not reminded of, nor escalated.
        Assert.Equal(CaseState.Declined, @case.State);
        Assert.All(@case.Deadlines, d => Assert.NotEqual(DeadlineState.Open, d.State));
        Assert.Equal(DeadlineState.Cancelled, @case.Deadlines.Single(d => d.SubjectId == mapping.Id).State);
    }

    [Fact]
    public void AnswerConsent_RenewalRefusedWhileActive_KeepsCaseActive()
    {
        var @case = ActiveCase();
        var renewal = RequestConsent(@case, Now.AddMonths(11));

        @case.AnswerConsent(renewal.Id, Refuses(Signatory.Youth), Coordinator, Now.AddMonths(11), Rules);

        Assert.Equal(CaseState.Active, @case.State);
    }

    [Fact]
    public void Withdraw_WhenConsentValid_MovesCaseToAwaitingConsent()
    {
        var @case = ActiveCase();
        var consent = @case.Consents.Single();

        @case.WithdrawConsent(consent.Id, Signatory.Youth, "Vill inte längre", SocialWorker, Now.AddDays(3));

        Assert.Equal(ConsentState.Withdrawn, consent.State);
        Assert.Equal(CaseState.AwaitingConsent, @case.State);
        Assert.Empty(@case.VisibleCategories(PoliceOfficer, Party.Polis, Now.AddDays(3)));
        Assert.Contains(@case.History, e => e is { Trigger: "Withdraw", Reason: "Vill inte längre" });
    }

    [Fact]
    public void Withdraw_WhenAnotherConsentIsStillInForce_KeepsCaseActive()
    {
        var @case = ActiveCase();
        var first = @case.Consents.Single();
        GiveValidConsent(@case, Now.AddDays(1));

        @case.WithdrawConsent(first.Id, FirstGuardian(@case), null, SocialWorker, Now.AddDays(2));

        Assert.Equal(CaseState.Active, @case.State);
    }

    [Fact]
    public void AdvanceTime_AtConsentEnd_ExpiresConsentAndMovesCaseToAwaitingConsent()
    {
        var @case = ActiveCase();
        var consent = @case.Consents.Single();

        @case.AdvanceTime(consent.ValidTo!.Value.AddTicks(-1));
        Assert.Equal(ConsentState.Valid, consent.State);

        @case.AdvanceTime(consent.ValidTo!.Value);

        Assert.Equal(ConsentState.Expired, consent.State);
        Assert.Equal(CaseState.AwaitingConsent, @case.State);
        Assert.Contains(@case.History, e => e is { Trigger: "Expire" } && e.ActorUserId == TransitionEvent.SystemActor);
        Assert.Equal(DeadlineState.Cancelled, @case.Deadlines.Single(d => d.Kind == DeadlineKind.ConsentExpiring).State);
    }

    [Fact]
    public void Close_CancelsFutureFollowUpsAndEveryOpenDeadline()
    {
        var @case = CaseWithActionPlan(out _);
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, Now.AddDays(20), null, [], Coordinator, Now.AddDays(2), Rules);
        Assert.Contains(@case.Deadlines, d => d.State == DeadlineState.Open);

        @case.Close(CloseReason.GoalsReached, "Målen nådda", Coordinator, Now.AddDays(3), Rules);

        Assert.Equal(CaseState.Closed, @case.State);
        Assert.Equal(CloseReason.GoalsReached, @case.CloseReason);
        Assert.All(@case.FollowUps, f => Assert.Equal(FollowUpState.Cancelled, f.State));
        Assert.All(@case.Deadlines, d => Assert.NotEqual(DeadlineState.Open, d.State));
        Assert.Equal(DeadlineState.Cancelled, @case.Deadlines.Single(d => d.SubjectId == meeting.Id).State);
    }

    [Fact]
    public void Close_FromOpened_AsNotRelevant()
    {
        var @case = NewCase();

        @case.Close(CloseReason.NotRelevant, null, Coordinator, Now, Rules);

        Assert.Equal(CaseState.Closed, @case.State);
        Assert.Equal(Swedish(2026, 9, 10), @case.ReopenableUntil);
    }

    [Fact]
    public void Reopen_WithinTheReopenPeriod_MovesCaseToOpened()
    {
        var @case = ActiveCase();
        @case.Close(CloseReason.Moved, null, Coordinator, Now, Rules);

        @case.Reopen("Flyttade tillbaka", Coordinator, Swedish(2026, 9, 10), Rules);

        Assert.Equal(CaseState.Opened, @case.State);
        Assert.Null(@case.CloseReason);
    }

    /// <summary>
    /// Decision 13: closing cancelled the consent's expiry deadline and the follow-ups; reopening gives the consent still
    /// valid its deadline back (so the coordinator is reminded before it ends and its end expires it) and the action plan
    /// its next follow-up.
    /// </summary>
    [Fact]
    public void Reopen_ResumesTheValidConsentsDeadline_AndTheFollowUps()
    {
        var @case = CaseWithActionPlan(out _);
        var consent = @case.Consents.Single();
        @case.Close(CloseReason.Moved, null, Coordinator, Now.AddDays(5), Rules);
        Assert.DoesNotContain(@case.Deadlines, d => d.State == DeadlineState.Open);
        var reopenedAt = Now.AddMonths(2);

        @case.Reopen("Flyttade tillbaka", Coordinator, reopenedAt, Rules);

        var expiry = Assert.Single(@case.Deadlines, d => d.State == DeadlineState.Open && d.Kind == DeadlineKind.ConsentExpiring);
        Assert.Equal((consent.Id, consent.ValidTo!.Value, consent.ValidTo - Rules.ConsentExpiryReminder, Coordinator),
            (expiry.SubjectId, expiry.DueAt, expiry.RemindAt, expiry.ResponsibleUserId));
        var followUp = Assert.Single(@case.FollowUps, f => f.State == FollowUpState.Scheduled);
        Assert.Equal(reopenedAt.AddMonths(Rules.FollowUpIntervalMonths), followUp.DueAt);
        var due = Assert.Single(@case.Deadlines, d => d.State == DeadlineState.Open && d.Kind == DeadlineKind.FollowUpDue);
        Assert.Equal((followUp.Id, followUp.DueAt), (due.SubjectId, due.DueAt));
        Assert.Equal(2, @case.Deadlines.Count(d => d.State == DeadlineState.Open));

        // The deadline's passing expires the consent, as before the close.
        @case.AdvanceTime(consent.ValidTo!.Value);
        Assert.Equal(ConsentState.Expired, consent.State);
    }

    [Fact]
    public void Reopen_ExpiresAConsentWhoseEndPassedWhileClosed_AndGivesAPendingRequestANewAnswerDeadline()
    {
        var expired = ActiveCase();
        var consent = expired.Consents.Single();
        expired.Close(CloseReason.Moved, null, Coordinator, Now.AddMonths(11), Rules);
        expired.Reopen(null, Coordinator, Now.AddMonths(13), Rules);
        Assert.Equal(ConsentState.Expired, consent.State);
        Assert.Contains(expired.History, e => e.Workflow == "Consent" && e.SubjectId == consent.Id && e.To == "Expired" && e.At == Now.AddMonths(13));
        Assert.DoesNotContain(expired.Deadlines, d => d.State == DeadlineState.Open);
        Assert.Empty(expired.FollowUps); // no action plan, no follow-up

        var pending = NewCase();
        var request = RequestConsent(pending);
        pending.Close(CloseReason.NotRelevant, null, Coordinator, Now.AddDays(1), Rules);
        pending.Reopen(null, Coordinator, Now.AddDays(20), Rules);
        var answer = Assert.Single(pending.Deadlines, d => d.State == DeadlineState.Open);
        Assert.Equal((DeadlineKind.ConsentUnanswered, request.Id, Now.AddDays(20) + Rules.ConsentAnswerDeadline),
            (answer.Kind, answer.SubjectId, answer.DueAt));
    }

    [Fact]
    public void Reopen_AfterTheReopenPeriod_IsRefusedWithTheGuard()
    {
        var @case = NewCase();
        @case.Close(CloseReason.Moved, null, Coordinator, Now, Rules with { ReopenWithinMonths = 2 });

        var refused = Assert.Throws<TransitionRefusedException>(() => @case.Reopen(null, Coordinator, Now.AddMonths(2).AddMinutes(1), Rules));

        Assert.Equal(["Ärendet avslutades inom tiden för återöppning"], refused.UnmetGuards);
        Assert.Equal(CaseState.Closed, @case.State);
    }

    [Fact]
    public void Close_WhenDeclined_IsRefusedWithNoPermittedTriggers()
    {
        var @case = CaseIn(CaseState.Declined);

        var refused = Assert.Throws<TransitionRefusedException>(() => @case.Close(CloseReason.Other, null, Coordinator, Now, Rules));

        Assert.Empty(refused.PermittedTriggers);
        Assert.Equal("Declined", refused.CurrentState);
    }

    [Fact]
    public void RequestConsent_WhenCaseClosed_IsRefusedAsEnded()
    {
        var @case = CaseIn(CaseState.Closed);

        Assert.Equal("CaseEnded", Assert.Throws<DomainRuleException>(() => RequestConsent(@case)).Code);
    }

    [Fact]
    public void AddMember_Twice_IsRefused()
    {
        var @case = NewCase();

        Assert.Equal("AlreadyMember", Assert.Throws<DomainRuleException>(() => @case.AddMember(Teacher, Party.Skola, Coordinator, Now)).Code);
    }

    [Fact]
    public void RemoveMember_RemovesAccessAndUnknownMemberIsNotFound()
    {
        var @case = ActiveCase();

        @case.RemoveMember(Teacher, Coordinator, Now);

        Assert.False(@case.IsMember(Teacher));
        Assert.Empty(@case.VisibleCategories(Teacher, Party.Skola, Now));
        Assert.Throws<DomainNotFoundException>(() => @case.RemoveMember(Teacher, Coordinator, Now));
    }

    [Fact]
    public void MembershipHistory_KeepsEachPeriod_AddedRemovedAndAddedAgain()
    {
        var @case = ActiveCase();
        var later = Now.AddDays(3);

        @case.RemoveMember(Teacher, Coordinator, later);
        @case.AddMember(Teacher, Party.Skola, Coordinator, later.AddDays(1));

        var periods = @case.MembershipHistory.Where(p => p.UserId == Teacher).OrderBy(p => p.From).ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal(later, periods[0].Until);
        Assert.Equal(Coordinator, periods[0].RemovedByUserId);
        Assert.Equal(later.AddDays(1), periods[1].From);
        Assert.Null(periods[1].Until);
        // Removing one member leaves the others' periods open.
        Assert.All(@case.MembershipHistory.Where(p => p.UserId != Teacher), p => Assert.Null(p.Until));
    }

    [Fact]
    public void VisibleCategories_FollowConsentScopeAndSocialServicesSeesEverything()
    {
        var @case = NewCase();
        Assert.Empty(@case.VisibleCategories(Teacher, Party.Skola, Now));

        GiveValidConsent(@case, parties: [Party.Skola, Party.Socialtjanst]);

        Assert.Equal(AllSharedCategories.ToHashSet(), @case.VisibleCategories(Teacher, Party.Skola, Now));
        Assert.Empty(@case.VisibleCategories(PoliceOfficer, Party.Polis, Now));
        Assert.Contains(InformationCategory.SocialServicesInternal, @case.VisibleCategories(SocialWorker, Party.Socialtjanst, Now));
        Assert.Empty(@case.VisibleCategories(Guid.NewGuid(), Party.Socialtjanst, Now));
    }

    [Fact]
    public void PermittedTriggers_WhenActive_OffersCloseOnly()
    {
        Assert.Equal([CaseTrigger.Close], ActiveCase().PermittedTriggers(Now));
    }

    [Fact]
    public void UnknownChildId_IsNotFound()
    {
        var @case = ActiveCase();

        Assert.Throws<DomainNotFoundException>(() => @case.ApproveMinutes(Guid.NewGuid(), Coordinator, Now));
    }

    [Fact]
    public void Deadline_ReminderAndEscalationAreMarkedOnce()
    {
        var @case = NewCase();
        RequestConsent(@case);
        var deadline = @case.Deadlines.Single();

        deadline.MarkReminderSent(Now.AddDays(14));
        deadline.MarkReminderSent(Now.AddDays(15));
        deadline.MarkEscalated(Now.AddDays(16));

        Assert.Equal((Now.AddDays(14), Now.AddDays(16)), (deadline.ReminderSentAt, deadline.EscalatedAt));
    }

    [Fact]
    public void RescheduleMeeting_ToAPastTime_IsAValidationErrorAndChangesNothing()
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, Now.AddDays(3), null, [], Coordinator, Now, Rules);

        Assert.Throws<DomainValidationException>(() => @case.RescheduleMeeting(meeting.Id, Now.AddDays(-1), null, Coordinator, Now, Rules));
        Assert.Equal(MeetingState.Scheduled, meeting.State);
    }
}
