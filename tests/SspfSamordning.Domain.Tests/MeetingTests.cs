using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.Workflows;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public class MeetingTests
{
    private static readonly DateTimeOffset StartsAt = Now.AddDays(5);

    private static readonly Edge<MeetingState, MeetingTrigger>[] Table =
    [
        new(MeetingState.Scheduled, MeetingTrigger.Hold, MeetingState.Held),
        new(MeetingState.Scheduled, MeetingTrigger.Cancel, MeetingState.Cancelled),
        new(MeetingState.Scheduled, MeetingTrigger.Reschedule, MeetingState.Rescheduled),
        new(MeetingState.Held, MeetingTrigger.ApproveMinutes, MeetingState.MinutesApproved),
        new(MeetingState.Held, MeetingTrigger.UpdateMinutes, MeetingState.Held),
        new(MeetingState.Held, MeetingTrigger.SetActionPlan, MeetingState.Held),
        new(MeetingState.MinutesApproved, MeetingTrigger.SetActionPlan, MeetingState.MinutesApproved),
        new(MeetingState.Rescheduled, MeetingTrigger.Schedule, MeetingState.Scheduled),
    ];

    public static TheoryData<MeetingState, MeetingTrigger> Pairs => TransitionTable.AllPairs<MeetingState, MeetingTrigger>();

    private static (Case, Meeting) MeetingIn(MeetingState state)
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, StartsAt, "Stadshuset", [Teacher, PoliceOfficer], Coordinator, Now, Rules);
        if (state is MeetingState.Held or MeetingState.MinutesApproved)
            @case.RecordMeetingHeld(meeting.Id, [Teacher], youthAttended: true, [], "Utkast", Coordinator, StartsAt, Rules);
        if (state == MeetingState.MinutesApproved)
            @case.ApproveMinutes(meeting.Id, Coordinator, StartsAt.AddDays(1));
        if (state == MeetingState.Cancelled)
            @case.CancelMeeting(meeting.Id, "Sjukdom", Coordinator, Now);
        if (state == MeetingState.Rescheduled)
            @case.RescheduleMeeting(meeting.Id, null, "Krockar med prov", Coordinator, Now, Rules);
        return (@case, meeting);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fire_EveryStateAndTrigger_FollowsTheTransitionTable(MeetingState state, MeetingTrigger trigger)
    {
        var (_, meeting) = MeetingIn(state);
        var now = state == MeetingState.Scheduled ? StartsAt : Now;

        TransitionTable.Verify(Table, state, trigger, Meeting.Build(meeting, now));
    }

    [Fact]
    public void Definition_HoldsExactlyTheTransitionTable() => TransitionTable.VerifyDefinition(Table, Meeting.Definition);

    [Fact]
    public void Hold_BeforeTheMeetingTime_IsRefusedWithTheGuard()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Scheduled);

        var refused = Assert.Throws<TransitionRefusedException>(() =>
            @case.RecordMeetingHeld(meeting.Id, [], false, [], "Utkast", Coordinator, StartsAt.AddMinutes(-1), Rules));

        Assert.Equal(["Mötestiden har inträffat"], refused.UnmetGuards);
    }

    [Fact]
    public void ScheduleMeeting_InviteeWhoIsNotAMember_IsRefusedWithReason()
    {
        var @case = ActiveCase();

        var error = Assert.Throws<DomainRuleException>(() =>
            @case.ScheduleMeeting(MeetingKind.Network, StartsAt, null, [Guid.NewGuid()], Coordinator, Now, Rules));

        Assert.Equal("InviteeNotMember", error.Code);
    }

    [Fact]
    public void ScheduleMeeting_InviteeFromPartyOutsideConsentScope_IsRefusedWithReason()
    {
        var @case = NewCase();
        GiveValidConsent(@case, parties: [Party.Skola, Party.Socialtjanst]);

        var error = Assert.Throws<DomainRuleException>(() =>
            @case.ScheduleMeeting(MeetingKind.Network, StartsAt, null, [Teacher, PoliceOfficer], Coordinator, Now, Rules));

        Assert.Equal("InviteeOutsideConsent", error.Code);
        Assert.Contains("Polisen", error.Message);
        Assert.Empty(@case.Meetings);
    }

    [Fact]
    public void ScheduleMeeting_NetworkMeetingBeforeConsent_IsRefused()
    {
        var @case = NewCase();

        Assert.Equal("CaseNotActive", Assert.Throws<DomainRuleException>(() =>
            @case.ScheduleMeeting(MeetingKind.Network, StartsAt, null, [], Coordinator, Now, Rules)).Code);
    }

    [Fact]
    public void ScheduleMeeting_MappingMeetingBeforeConsent_IsAllowedWithTheCoordinator()
    {
        var @case = NewCase();

        var meeting = @case.ScheduleMeeting(MeetingKind.Mapping, StartsAt, null, [Coordinator], Coordinator, Now, Rules);

        Assert.Equal((MeetingKind.Mapping, MeetingState.Scheduled), (meeting.Kind, meeting.State));
    }

    [Fact]
    public void ScheduleMeeting_CreatesReminderTwoDaysBefore()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Scheduled);

        var deadline = @case.Deadlines.Single(d => d.SubjectId == meeting.Id);

        Assert.Equal((DeadlineKind.Meeting, StartsAt, StartsAt.AddDays(-2), DeadlineState.Open, Coordinator),
            (deadline.Kind, deadline.DueAt, deadline.RemindAt, deadline.State, deadline.ResponsibleUserId));
    }

    [Fact]
    public void RecordMeetingHeld_RecordsAttendanceAndDraftMinutesAndStartsMinutesDeadline()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Held);

        Assert.Equal([Teacher], meeting.AttendeeUserIds);
        Assert.True(meeting.YouthAttended);
        Assert.Equal("Utkast", meeting.Minutes);
        Assert.Equal(DeadlineState.Completed, @case.Deadlines.Single(d => d.Kind == DeadlineKind.Meeting).State);
        var minutes = @case.Deadlines.Single(d => d.Kind == DeadlineKind.MinutesApproval);
        Assert.Equal((StartsAt.AddDays(7), DeadlineState.Open), (minutes.DueAt, minutes.State));
    }

    [Fact]
    public void RecordMeetingHeld_WithAttendeeWhoIsNotAMember_IsAValidationError()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Scheduled);

        Assert.Throws<DomainValidationException>(() =>
            @case.RecordMeetingHeld(meeting.Id, [Guid.NewGuid()], false, [], "Utkast", Coordinator, StartsAt, Rules));
        Assert.Equal(MeetingState.Scheduled, meeting.State);
    }

    [Fact]
    public void ApproveMinutes_FreezesMinutesAndCompletesTheDeadline()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Held);
        @case.UpdateMinutes(meeting.Id, "Justerat protokoll", Coordinator, Now.AddDays(1));

        @case.ApproveMinutes(meeting.Id, Coordinator, StartsAt.AddDays(1));

        Assert.Equal(MeetingState.MinutesApproved, meeting.State);
        Assert.Equal(DeadlineState.Completed, @case.Deadlines.Single(d => d.Kind == DeadlineKind.MinutesApproval).State);
        Assert.Equal("MinutesNotEditable", Assert.Throws<DomainRuleException>(() => @case.UpdateMinutes(meeting.Id, "Ändrat", Coordinator, Now.AddDays(1))).Code);
        Assert.Equal("Justerat protokoll", meeting.Minutes);
    }

    [Fact]
    public void ApproveMinutes_WithoutDraft_IsRefusedWithTheGuard()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Scheduled);
        @case.RecordMeetingHeld(meeting.Id, [], false, [], null, Coordinator, StartsAt, Rules);

        var refused = Assert.Throws<TransitionRefusedException>(() => @case.ApproveMinutes(meeting.Id, Coordinator, StartsAt));

        Assert.Equal(["Ett protokollutkast finns"], refused.UnmetGuards);
    }

    [Fact]
    public void RescheduleMeeting_WithNewTime_ReturnsToScheduledAndMovesTheReminder()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Scheduled);
        var newTime = StartsAt.AddDays(7);

        @case.RescheduleMeeting(meeting.Id, newTime, "Krockar", Coordinator, Now, Rules);

        Assert.Equal((MeetingState.Scheduled, newTime), (meeting.State, meeting.StartsAt));
        Assert.Equal(["Reschedule", "Schedule"], @case.History.Where(e => e.SubjectId == meeting.Id).Select(e => e.Trigger));
        var reminders = @case.Deadlines.Where(d => d.SubjectId == meeting.Id).ToList();
        Assert.Equal(DeadlineState.Cancelled, reminders[0].State);
        Assert.Equal((newTime, DeadlineState.Open), (reminders[1].DueAt, reminders[1].State));
    }

    [Fact]
    public void RescheduleMeeting_WithoutNewTime_WaitsInRescheduledWithoutReminder()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Rescheduled);

        Assert.Equal(MeetingState.Rescheduled, meeting.State);
        Assert.DoesNotContain(@case.Deadlines, d => d.SubjectId == meeting.Id && d.State == DeadlineState.Open);
    }

    [Fact]
    public void CancelMeeting_CancelsTheReminder()
    {
        var (@case, meeting) = MeetingIn(MeetingState.Cancelled);

        Assert.Equal(DeadlineState.Cancelled, @case.Deadlines.Single(d => d.SubjectId == meeting.Id).State);
    }
}
