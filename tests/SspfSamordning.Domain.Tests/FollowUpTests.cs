using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.Workflows;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public class FollowUpTests
{
    private static readonly DateTimeOffset PlanAdoptedAt = Now.AddDays(1);
    private static readonly DateTimeOffset FirstDue = PlanAdoptedAt.AddDays(42);

    private static readonly Edge<FollowUpState, FollowUpTrigger>[] Table =
    [
        new(FollowUpState.Scheduled, FollowUpTrigger.Complete, FollowUpState.Done),
        new(FollowUpState.Scheduled, FollowUpTrigger.MarkOverdue, FollowUpState.Overdue),
        new(FollowUpState.Scheduled, FollowUpTrigger.Cancel, FollowUpState.Cancelled),
        new(FollowUpState.Scheduled, FollowUpTrigger.CancelWithCase, FollowUpState.Cancelled),
        new(FollowUpState.Overdue, FollowUpTrigger.Complete, FollowUpState.Done),
        new(FollowUpState.Overdue, FollowUpTrigger.CancelWithCase, FollowUpState.Cancelled),
    ];

    public static TheoryData<FollowUpState, FollowUpTrigger> Pairs => TransitionTable.AllPairs<FollowUpState, FollowUpTrigger>();

    private static void Complete(Case @case, FollowUp followUp, Intervention intervention, DateTimeOffset at) =>
        @case.CompleteFollowUp(followUp.Id, new Dictionary<Guid, string> { [intervention.Id] = "Går bra" }, "Positiv utveckling", Coordinator, at, Rules);

    private static (Case, FollowUp) FollowUpIn(FollowUpState state)
    {
        var @case = CaseWithActionPlan(out var intervention);
        var followUp = @case.FollowUps.Single();
        switch (state)
        {
            case FollowUpState.Overdue:
                @case.AdvanceTime(FirstDue.AddMinutes(1));
                break;
            case FollowUpState.Done:
                Complete(@case, followUp, intervention, FirstDue);
                break;
            case FollowUpState.Cancelled:
                @case.CancelFollowUp(followUp.Id, "Ersätts", Coordinator, Now);
                break;
        }
        return (@case, followUp);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fire_EveryStateAndTrigger_FollowsTheTransitionTable(FollowUpState state, FollowUpTrigger trigger) =>
        TransitionTable.Verify(Table, state, trigger, FollowUp.Build(FollowUpIn(state).Item2, FirstDue.AddDays(1)));

    [Fact]
    public void Definition_HoldsExactlyTheTransitionTable() => TransitionTable.VerifyDefinition(Table, FollowUp.Definition);

    [Fact]
    public void SetActionPlan_SchedulesFirstFollowUpSixWeeksLaterWithReminderAWeekBefore()
    {
        var @case = CaseWithActionPlan(out _);

        var followUp = Assert.Single(@case.FollowUps);
        Assert.Equal((FollowUpState.Scheduled, FirstDue), (followUp.State, followUp.DueAt));
        var deadline = @case.Deadlines.Single(d => d.SubjectId == followUp.Id);
        Assert.Equal((DeadlineKind.FollowUpDue, FirstDue, FirstDue.AddDays(-7), Coordinator),
            (deadline.Kind, deadline.DueAt, deadline.RemindAt, deadline.ResponsibleUserId));
    }

    [Fact]
    public void SetActionPlan_FirstFollowUpDelayIsConfigurable()
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, Now.AddDays(1), null, [], Coordinator, Now, Rules);
        @case.RecordMeetingHeld(meeting.Id, [], false, [], "Utkast", Coordinator, Now.AddDays(1), Rules);

        @case.SetActionPlan(meeting.Id, "Mål", Coordinator, Now.AddDays(1), Rules with { FirstFollowUpAfterActionPlan = TimeSpan.FromDays(30) });

        Assert.Equal(Now.AddDays(31), @case.FollowUps.Single().DueAt);
    }

    [Fact]
    public void SetActionPlan_AgainRevisesGoalsWithoutSchedulingAnotherFollowUp()
    {
        var @case = CaseWithActionPlan(out _);

        @case.SetActionPlan(@case.ActionPlan!.MeetingId, "Nya mål", Coordinator, Now.AddDays(2), Rules);

        Assert.Equal("Nya mål", @case.ActionPlan.Goals);
        Assert.Single(@case.FollowUps);
    }

    [Fact]
    public void SetActionPlan_AtMappingMeeting_IsRefused()
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Mapping, Now.AddDays(1), null, [], Coordinator, Now, Rules);
        @case.RecordMeetingHeld(meeting.Id, [], true, [], "Utkast", Coordinator, Now.AddDays(1), Rules);

        Assert.Equal("ActionPlanNeedsHeldNetworkMeeting", Assert.Throws<DomainRuleException>(() =>
            @case.SetActionPlan(meeting.Id, "Mål", Coordinator, Now.AddDays(1), Rules)).Code);
    }

    [Fact]
    public void CompleteFollowUp_WhileActive_RecordsAssessmentsAndSchedulesNextInThreeMonths()
    {
        var (@case, followUp) = FollowUpIn(FollowUpState.Done);

        Assert.Equal(FollowUpState.Done, followUp.State);
        Assert.Equal("Positiv utveckling", followUp.OverallAssessment);
        Assert.Equal("Går bra", Assert.Single(followUp.Assessments).Assessment);
        Assert.Equal(DeadlineState.Completed, @case.Deadlines.Single(d => d.SubjectId == followUp.Id).State);
        var next = @case.FollowUps.Single(f => f.Id != followUp.Id);
        Assert.Equal((FollowUpState.Scheduled, FirstDue.AddMonths(3)), (next.State, next.DueAt));
        Assert.Contains(@case.Deadlines, d => d.SubjectId == next.Id && d.State == DeadlineState.Open);
    }

    [Fact]
    public void CompleteFollowUp_WhenCaseAwaitsNewConsent_SchedulesNoNextFollowUp()
    {
        var @case = CaseWithActionPlan(out var intervention);
        @case.WithdrawConsent(@case.Consents.Single().Id, Signatory.Youth, null, SocialWorker, Now.AddDays(2));

        Complete(@case, @case.FollowUps.Single(), intervention, Now.AddDays(3));

        Assert.Single(@case.FollowUps);
    }

    [Fact]
    public void CompleteFollowUp_WithoutAssessmentOfAnOngoingIntervention_IsAValidationError()
    {
        var (@case, followUp) = FollowUpIn(FollowUpState.Scheduled);

        var error = Assert.Throws<DomainValidationException>(() =>
            @case.CompleteFollowUp(followUp.Id, new Dictionary<Guid, string>(), "Helhet", Coordinator, Now, Rules));

        // The missing one is named, besides the summary under "assessments".
        var ongoing = @case.Interventions.Single(i => i.State == InterventionState.Ongoing);
        Assert.Equal(["assessments", $"assessments[{ongoing.Id}]"], error.Errors.Keys.Order());
        Assert.Equal(FollowUpState.Scheduled, followUp.State);
    }

    [Fact]
    public void CompleteFollowUp_WithoutOverallAssessment_IsAValidationError()
    {
        var @case = CaseWithActionPlan(out var intervention);

        Assert.Throws<DomainValidationException>(() => @case.CompleteFollowUp(
            @case.FollowUps.Single().Id, new Dictionary<Guid, string> { [intervention.Id] = "Bra" }, " ", Coordinator, Now, Rules));
    }

    [Fact]
    public void AdvanceTime_PastDueDate_MarksFollowUpOverdueAndKeepsDeadlineOpenForEscalation()
    {
        var (@case, followUp) = FollowUpIn(FollowUpState.Overdue);

        Assert.Equal(FollowUpState.Overdue, followUp.State);
        Assert.Equal(DeadlineState.Open, @case.Deadlines.Single(d => d.SubjectId == followUp.Id).State);
    }

    [Fact]
    public void AdvanceTime_BeforeDueDate_LeavesFollowUpScheduled()
    {
        var (@case, followUp) = FollowUpIn(FollowUpState.Scheduled);

        @case.AdvanceTime(FirstDue);

        Assert.Equal(FollowUpState.Scheduled, followUp.State);
    }

    [Fact]
    public void MarkOverdue_BeforeDueDate_IsRefusedWithTheGuard()
    {
        var (_, followUp) = FollowUpIn(FollowUpState.Scheduled);

        var refused = Assert.Throws<TransitionRefusedException>(() => FollowUp.Build(followUp, FirstDue).Fire(FollowUpTrigger.MarkOverdue));

        Assert.Equal(["Förfallodagen har passerat"], refused.UnmetGuards);
    }

    [Theory]
    [InlineData(FollowUpState.Scheduled)]
    [InlineData(FollowUpState.Overdue)]
    public void Close_CancelsEveryOpenFollowUp_OverdueIncluded_WithItsReminder(FollowUpState state)
    {
        var (@case, followUp) = FollowUpIn(state);
        var closedAt = FirstDue.AddDays(1);

        @case.Close(CloseReason.Other, null, Coordinator, closedAt, Rules);

        Assert.Equal(FollowUpState.Cancelled, followUp.State);
        var cancelled = @case.History.Single(e => e.SubjectId == followUp.Id && e.To == nameof(FollowUpState.Cancelled));
        Assert.Equal((state.ToString(), "CancelWithCase", FollowUp.CaseClosedReason, Coordinator, closedAt),
            (cancelled.From, cancelled.Trigger, cancelled.Reason, cancelled.ActorUserId, cancelled.At));
        Assert.All(@case.Deadlines.Where(d => d.SubjectId == followUp.Id), d => Assert.Equal(DeadlineState.Cancelled, d.State));
        Assert.DoesNotContain(@case.Deadlines, d => d.State == DeadlineState.Open);
    }

    [Fact]
    public void Close_LeavesADoneFollowUpDone()
    {
        var (@case, followUp) = FollowUpIn(FollowUpState.Done);

        @case.Close(CloseReason.GoalsReached, null, Coordinator, FirstDue.AddDays(1), Rules);

        Assert.Equal(FollowUpState.Done, followUp.State);
        Assert.DoesNotContain(@case.History, e => e.SubjectId == followUp.Id && e.To == nameof(FollowUpState.Cancelled));
    }

    // ---- Decision 11: the owner party records its insats's assessment before the samordnare completes ----------

    [Theory]
    [InlineData(FollowUpState.Scheduled)]
    [InlineData(FollowUpState.Overdue)]
    public void RecordAssessment_ByTheOwnerPartysMember_IsReplaceable_AndKeptByComplete_WhichStillNeedsTheOverallAssessment(FollowUpState state)
    {
        var (@case, followUp) = FollowUpIn(state);
        var intervention = @case.Interventions.Single();
        var historyBefore = @case.History.Count;

        @case.RecordFollowUpAssessment(followUp.Id, intervention.Id, "Första utkastet", Teacher, FirstDue);
        @case.RecordFollowUpAssessment(followUp.Id, intervention.Id, "  Närvaron har ökat.  ", Teacher, FirstDue);

        Assert.Equal("Närvaron har ökat.", Assert.Single(followUp.Assessments).Assessment);
        Assert.Equal(state, followUp.State);
        Assert.Equal(historyBefore, @case.History.Count); // not a transition: no history event
        Assert.Equal("overallAssessment", Assert.Single(Assert.Throws<DomainValidationException>(() =>
            @case.CompleteFollowUp(followUp.Id, new Dictionary<Guid, string>(), " ", Coordinator, FirstDue, Rules)).Errors).Key);

        @case.CompleteFollowUp(followUp.Id, new Dictionary<Guid, string>(), "Positiv utveckling", Coordinator, FirstDue, Rules);

        Assert.Equal(FollowUpState.Done, followUp.State);
        Assert.Equal("Närvaron har ökat.", Assert.Single(followUp.Assessments).Assessment);
        Assert.Equal("FollowUpNotOpen", Assert.Throws<DomainRuleException>(() =>
            @case.RecordFollowUpAssessment(followUp.Id, intervention.Id, "Ändrat i efterhand", Teacher, FirstDue)).Code);
        Assert.Equal("Närvaron har ökat.", Assert.Single(followUp.Assessments).Assessment);
    }

    [Fact]
    public void Complete_TheSamordnaresOwnAssessment_ReplacesTheRecordedOne()
    {
        var (@case, followUp) = FollowUpIn(FollowUpState.Scheduled);
        var intervention = @case.Interventions.Single();
        @case.RecordFollowUpAssessment(followUp.Id, intervention.Id, "Skolans bedömning", Teacher, Now.AddDays(2));

        @case.CompleteFollowUp(followUp.Id, new Dictionary<Guid, string> { [intervention.Id] = "Samordnarens bedömning" }, "Helheten", Coordinator, FirstDue, Rules);

        Assert.Equal("Samordnarens bedömning", Assert.Single(followUp.Assessments).Assessment);
    }

    [Fact]
    public void RecordAssessment_ByTheResponsiblePersonOfAnotherParty_IsAllowed_ButNotByOtherPartiesOrTheSamordnare()
    {
        var @case = CaseWithActionPlan(out var schoolInsats);
        var followUp = @case.FollowUps.Single();
        // A fritid insats whose responsible person is the samordnare (not a member of Fritid).
        var leisure = @case.ProposeIntervention(InterventionType.LeisureActivity, Party.Fritid, Coordinator, "Fotboll", null, null, false, Now.AddDays(1));

        foreach (var outsider in new[] { PoliceOfficer, SocialWorker, LeisureWorker, Coordinator, Guid.NewGuid() })
        {
            Assert.False(@case.MayRecordAssessment(schoolInsats.Id, outsider));
            Assert.Equal("NotTheInsatsParty", Assert.Throws<DomainRuleException>(() =>
                @case.RecordFollowUpAssessment(followUp.Id, schoolInsats.Id, "Bra", outsider, Now.AddDays(2))).Code);
        }
        Assert.Empty(followUp.Assessments);

        @case.RecordFollowUpAssessment(followUp.Id, leisure.Id, "Tränar två gånger i veckan", Coordinator, Now.AddDays(2));
        @case.RecordFollowUpAssessment(followUp.Id, leisure.Id, "Tränar tre gånger i veckan", LeisureWorker, Now.AddDays(2));
        Assert.Equal("Tränar tre gånger i veckan", Assert.Single(followUp.Assessments).Assessment);
        Assert.False(@case.MayRecordAssessment(leisure.Id, Teacher));
    }

    [Fact]
    public void RecordAssessment_OfAnotherCasesInsats_AnEmptyOrTooLongText_OrACancelledFollowUp_IsRefused()
    {
        var (@case, followUp) = FollowUpIn(FollowUpState.Scheduled);
        var intervention = @case.Interventions.Single();
        var otherCase = CaseWithActionPlan(out var foreign);

        Assert.Throws<DomainNotFoundException>(() => @case.RecordFollowUpAssessment(followUp.Id, foreign.Id, "Bra", Teacher, FirstDue));
        Assert.Throws<DomainNotFoundException>(() => @case.RecordFollowUpAssessment(otherCase.FollowUps.Single().Id, intervention.Id, "Bra", Teacher, FirstDue));
        foreach (var text in new[] { null, "", "   ", new string('a', TextLimits.Assessment + 1), "Bra\u0007" })
            Assert.Equal("assessment", Assert.Single(Assert.Throws<DomainValidationException>(() =>
                @case.RecordFollowUpAssessment(followUp.Id, intervention.Id, text, Teacher, FirstDue)).Errors).Key);
        Assert.Empty(followUp.Assessments);

        @case.CancelFollowUp(followUp.Id, "Ersätts", Coordinator, FirstDue);
        Assert.Equal("FollowUpNotOpen", Assert.Throws<DomainRuleException>(() =>
            @case.RecordFollowUpAssessment(followUp.Id, intervention.Id, "Bra", Teacher, FirstDue)).Code);
    }
}
