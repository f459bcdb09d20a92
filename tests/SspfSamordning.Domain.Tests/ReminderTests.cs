using SspfSamordning.Domain.Cases;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public sealed class ReminderTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(12);

    /// <summary>The C# rule and the database filter must agree at every moment.</summary>
    private static IReadOnlyList<ReminderStep> Steps(Deadline deadline, DateTimeOffset at)
    {
        var steps = deadline.StepsDue(at, Window);
        Assert.Equal(steps.Count > 0, Deadline.IsDue(at, Window).Compile()(deadline));
        return steps;
    }

    private static Deadline FollowUpDeadline(out Case @case)
    {
        @case = CaseWithActionPlan(out _);
        return @case.Deadlines.Single(d => d.Kind == DeadlineKind.FollowUpDue);
    }

    [Fact]
    public void FollowUp_RemindsSevenDaysBefore_ThenEscalatesToTheCoordinatorOnTheDay()
    {
        var deadline = FollowUpDeadline(out _);
        var remindAt = deadline.DueAt - Rules.FollowUpReminder;

        Assert.Empty(Steps(deadline, remindAt.AddMinutes(-1)));
        Assert.Equal([ReminderStep.Reminder], Steps(deadline, remindAt));
        deadline.MarkDispatched(ReminderStep.Reminder, remindAt);
        Assert.Empty(Steps(deadline, deadline.DueAt));
        Assert.Equal([ReminderStep.Escalation], Steps(deadline, deadline.DueAt.AddTicks(1)));
        deadline.MarkDispatched(ReminderStep.Escalation, deadline.DueAt.AddTicks(1));
        Assert.Empty(Steps(deadline, deadline.DueAt.AddDays(30)));
        Assert.Equal(Coordinator, deadline.RecipientOf(ReminderStep.Escalation));
        Assert.True(deadline.PassingTransitionsWorkflow);
    }

    [Fact]
    public void ReminderMissedWhileDown_IsDroppedOnceTheDeadlinePassed_ButTheEscalationIsNot()
    {
        var deadline = FollowUpDeadline(out _);

        Assert.Equal([ReminderStep.Escalation], Steps(deadline, deadline.DueAt.AddDays(1)));
        // Missed by a little and the deadline still ahead: the reminder still goes.
        Assert.Equal([ReminderStep.Reminder], Steps(deadline, deadline.DueAt.AddDays(-1)));
    }

    [Fact]
    public void ReminderAtTheDeadlineItself_GoesWithTheEscalation_WithinTheCatchUpWindow()
    {
        var @case = NewCase();
        RequestConsent(@case);
        var deadline = @case.Deadlines.Single(d => d.Kind == DeadlineKind.ConsentUnanswered);

        Assert.Equal([ReminderStep.Reminder, ReminderStep.Escalation], Steps(deadline, deadline.DueAt.AddMinutes(1)));
        Assert.Equal([ReminderStep.Escalation], Steps(deadline, deadline.DueAt + Window));
        Assert.False(deadline.PassingTransitionsWorkflow);
    }

    [Fact]
    public void ClosedDeadline_IsNeverDue()
    {
        var @case = CaseWithActionPlan(out _);
        var followUp = @case.FollowUps.Single();
        @case.CancelFollowUp(followUp.Id, "Flyttat", Coordinator, Now.AddDays(2));
        var deadline = @case.Deadlines.Single(d => d.Kind == DeadlineKind.FollowUpDue);

        Assert.Equal(DeadlineState.Cancelled, deadline.State);
        Assert.Empty(Steps(deadline, deadline.DueAt.AddDays(1)));
    }

    [Fact]
    public void PassingFollowUpDeadline_MarksTheFollowUpOverdue()
    {
        var deadline = FollowUpDeadline(out var @case);

        @case.AdvanceTime(deadline.DueAt.AddMinutes(1));

        Assert.Equal(FollowUpState.Overdue, @case.FollowUps.Single().State);
        Assert.Equal(DeadlineState.Open, deadline.State);
    }

    [Fact]
    public void PassingConsentExpiry_ExpiresTheConsent_AndClosesItsDeadline()
    {
        var @case = ActiveCase();
        var deadline = @case.Deadlines.Single(d => d.Kind == DeadlineKind.ConsentExpiring);
        Assert.Equal(deadline.DueAt - Rules.ConsentExpiryReminder, deadline.RemindAt);

        @case.AdvanceTime(deadline.DueAt.AddTicks(1));

        Assert.Equal(ConsentState.Expired, @case.Consents.Single().State);
        Assert.Equal(DeadlineState.Cancelled, deadline.State);
    }

    [Theory]
    [InlineData(ReminderStep.Reminder)]
    [InlineData(ReminderStep.Escalation)]
    public void Text_NamesTheCaseNumberAndTheTask_ForEveryKind(ReminderStep step)
    {
        foreach (var kind in Enum.GetValues<DeadlineKind>())
        {
            var text = ReminderText.For(kind, step, "SSPF-2026-0042");
            Assert.Contains("ärende SSPF-2026-0042", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ärende", ReminderText.For(kind, step, null), StringComparison.Ordinal);
        }
        Assert.Equal("Du har en uppgift i ärende SSPF-2026-0042: påminnelse om samtycke som snart löper ut.",
            ReminderText.For(DeadlineKind.ConsentExpiring, ReminderStep.Reminder, "SSPF-2026-0042"));
    }
}
