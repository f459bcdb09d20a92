using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;
using SspfSamordning.Domain.Workflows;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

/// <summary>The December 2026 decisions of issue 16 that are pure domain rules (docs/domain-rules.md).</summary>
public class DomainDecisionTests
{
    private static readonly Guid Colleague = Guid.NewGuid();

    private static ConcernReport Receive(bool violence, DateTimeOffset at) => ConcernReport.Receive(
        Municipality, Teacher, Party.Skola, "Eleven berättar om oro hemma", violence, null, "Kim Andersson", caseId: null,
        SocialWorker, Colleague, at, Rules);

    // ---- Decision 1 ---------------------------------------------------------------------------

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryConcernReport_ViolenceIncluded_HasItsProtectionAssessmentDueTheDayItArrives(bool violence)
    {
        var report = Receive(violence, Now);

        var protection = Assert.Single(report.Deadlines, d => d.Kind == DeadlineKind.ProtectionAssessment);
        Assert.Equal((SwedishCalendar.EndOfDay(Today), DeadlineState.Open, SocialWorker, Colleague),
            (protection.DueAt, protection.State, protection.ResponsibleUserId, protection.EscalateToUserId));
        // The escalation of an unassessed report goes out once the day has passed, whatever the category.
        Assert.Equal([ReminderStep.Escalation], protection.StepsDue(SwedishCalendar.EndOfDay(Today).AddSeconds(1), TimeSpan.FromHours(1))
            .Where(s => s == ReminderStep.Escalation));
    }

    [Fact]
    public void ViolenceReport_OpensItsInvestigation_AndIsStillProtectionAssessedOnce()
    {
        var report = Receive(violence: true, Now);
        Assert.Equal(ConcernReportState.InvestigationOpened, report.State);
        Assert.Contains(ConcernReportTrigger.AssessProtection, report.PermittedTriggers);

        report.AssessProtection("Inget akut skyddsbehov", false, SocialWorker, Party.Socialtjanst, Now.AddHours(2));

        Assert.Equal(ConcernReportState.InvestigationOpened, report.State);
        Assert.Equal(DeadlineState.Completed, report.Deadlines.Single(d => d.Kind == DeadlineKind.ProtectionAssessment).State);
        var assessed = report.History.Last();
        Assert.Equal(("AssessProtection", "InvestigationOpened", "InvestigationOpened", SocialWorker), (assessed.Trigger, assessed.From, assessed.To, assessed.ActorUserId));
        var twice = Assert.Throws<TransitionRefusedException>(() =>
            report.AssessProtection("Igen", true, SocialWorker, Party.Socialtjanst, Now.AddHours(3)));
        Assert.Equal(["Skyddsbedömning har inte gjorts"], twice.UnmetGuards);
        Assert.Equal("Inget akut skyddsbehov", report.ProtectionAssessment);
        Assert.Equal("OnlySocialServices", Assert.Throws<DomainRuleException>(() =>
            Receive(violence: true, Now).AssessProtection("x", false, Teacher, Party.Skola, Now)).Code);
    }

    [Fact]
    public void NonViolenceReport_AssessedBeforeTheDecision_CannotBeAssessedAgainOnceTheInvestigationIsOpen()
    {
        var report = Receive(violence: false, Now);
        report.AssessProtection("Inget akut skyddsbehov", false, SocialWorker, Party.Socialtjanst, Now);
        report.OpenInvestigation(null, SocialWorker, Party.Socialtjanst, Now.AddDays(2), Rules);

        Assert.DoesNotContain(ConcernReportTrigger.AssessProtection, report.PermittedTriggers);
    }

    // ---- Decision 3 ---------------------------------------------------------------------------

    [Fact]
    public void ChangingTheMinutes_IsAHistoryEventWithWhoAndWhen()
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, Now.AddDays(1), "Stadshuset", [Teacher], Coordinator, Now, Rules);
        @case.RecordMeetingHeld(meeting.Id, [Teacher], true, [], "Utkast", Coordinator, Now.AddDays(1), Rules);

        @case.UpdateMinutes(meeting.Id, "Nytt utkast", Coordinator, Now.AddDays(2));

        var changed = @case.History.Last();
        Assert.Equal((Meeting.WorkflowName, meeting.Id, "UpdateMinutes", "Held", "Held", Coordinator, Now.AddDays(2)),
            (changed.Workflow, changed.SubjectId, changed.Trigger, changed.From, changed.To, changed.ActorUserId, changed.At));
        Assert.Null(changed.Reason); // the minutes are never copied into the history
        var count = @case.History.Count;
        Assert.Throws<DomainValidationException>(() => @case.UpdateMinutes(meeting.Id, " ", Coordinator, Now.AddDays(2)));
        Assert.Equal(count, @case.History.Count);
        Assert.Equal("Nytt utkast", meeting.Minutes);
    }

    [Fact]
    public void AdoptingAndRevisingTheActionPlan_AreHistoryEventsOfTheMeetingWithWhoAndWhen()
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, Now.AddDays(1), "Stadshuset", [Teacher], Coordinator, Now, Rules);
        @case.RecordMeetingHeld(meeting.Id, [Teacher], true, [], "Utkast", Coordinator, Now.AddDays(1), Rules);
        var otherCoordinator = Guid.NewGuid();

        @case.SetActionPlan(meeting.Id, "Gå i skolan", Coordinator, Now.AddDays(1), Rules);
        @case.SetActionPlan(meeting.Id, "Gå i skolan varje dag", otherCoordinator, Now.AddDays(3), Rules);

        var events = @case.History.Where(e => e.Trigger == "SetActionPlan").ToList();
        Assert.Equal([(meeting.Id, Coordinator, Now.AddDays(1)), (meeting.Id, otherCoordinator, Now.AddDays(3))],
            events.Select(e => (e.SubjectId, e.ActorUserId, e.At)));
        Assert.All(events, e => Assert.Null(e.Reason));
    }

    [Fact]
    public void NarrowingAConsent_IsAHistoryEventWithWhoAndWhen()
    {
        var @case = ActiveCase();
        var consent = @case.Consents.Single();

        @case.NarrowConsentScope(consent.Id, [Party.Skola], [InformationCategory.Basic], FirstGuardian(@case), SocialWorker, Now.AddDays(1));

        var narrowed = @case.History.Last();
        Assert.Equal((Consent.WorkflowName, consent.Id, "NarrowScope", "Valid", "Valid", SocialWorker, Now.AddDays(1)),
            (narrowed.Workflow, narrowed.SubjectId, narrowed.Trigger, narrowed.From, narrowed.To, narrowed.ActorUserId, narrowed.At));
    }

    // ---- Decision 4 ---------------------------------------------------------------------------

    [Theory]
    [InlineData(InterventionState.Proposed)]
    [InlineData(InterventionState.Planned)]
    [InlineData(InterventionState.Ongoing)]
    public void AnInsats_CanBeCancelledWithAReason_WhileProposedPlannedOrOngoing(InterventionState state)
    {
        var (@case, intervention) = InterventionIn(state);

        var refused = Assert.Throws<DomainValidationException>(() => @case.CancelIntervention(intervention.Id, "  ", Teacher, Now));
        Assert.Contains("reason", refused.Errors.Keys);
        Assert.Equal(state, intervention.State);

        @case.CancelIntervention(intervention.Id, "Eleven har bytt skola", Teacher, Now.AddHours(1));

        Assert.Equal(InterventionState.Cancelled, intervention.State);
        var cancelled = @case.History.Last();
        Assert.Equal((state.ToString(), "Cancelled", "Eleven har bytt skola", Teacher), (cancelled.From, cancelled.To, cancelled.Reason, cancelled.ActorUserId));
    }

    [Theory]
    [InlineData(InterventionState.Completed)]
    [InlineData(InterventionState.Cancelled)]
    public void AFinishedInsats_CannotBeCancelled_AndTheRefusalComesBeforeTheReason(InterventionState state)
    {
        var (@case, intervention) = InterventionIn(state);

        var refused = Assert.Throws<TransitionRefusedException>(() => @case.CancelIntervention(intervention.Id, null, Teacher, Now));

        Assert.Equal(state.ToString(), refused.CurrentState);
        Assert.Equal(state, intervention.State);
    }

    private static (Case, Intervention) InterventionIn(InterventionState state)
    {
        var @case = ActiveCase();
        var intervention = @case.ProposeIntervention(InterventionType.Mentor, Party.Skola, Teacher, "Stöd", null, null, false, Now);
        if (state is not InterventionState.Proposed) @case.PlanIntervention(intervention.Id, Teacher, Now);
        if (state is InterventionState.Ongoing or InterventionState.Completed or InterventionState.Cancelled) @case.StartIntervention(intervention.Id, Teacher, Now);
        if (state is InterventionState.Completed) @case.CompleteIntervention(intervention.Id, InterventionOutcome.Achieved, null, Teacher, Now);
        if (state is InterventionState.Cancelled) @case.CancelIntervention(intervention.Id, "Slut", Teacher, Now);
        return (@case, intervention);
    }

    // ---- Decision 6 ---------------------------------------------------------------------------

    [Fact]
    public void AProposedBistandInsats_HasNoDecisionReferenceUntilSocialServicesSetsIt()
    {
        var @case = ActiveCase();
        var intervention = @case.ProposeIntervention(InterventionType.ContactPerson, Party.Socialtjanst, SocialWorker, "Kontaktperson", null, null, true, Now);
        Assert.Null(intervention.DecisionReference);

        Assert.Equal("OnlySocialServices", Assert.Throws<DomainRuleException>(() =>
            @case.SetInterventionDecisionReference(intervention.Id, "SN-1", Party.Skola)).Code);
        Assert.Null(intervention.DecisionReference);

        @case.SetInterventionDecisionReference(intervention.Id, "SN-1", Party.Socialtjanst);
        Assert.Equal("SN-1", intervention.DecisionReference);
    }

    // ---- Decision 9 ---------------------------------------------------------------------------

    [Theory]
    [InlineData(Party.Skola, InformationCategory.School)]
    [InlineData(Party.Socialtjanst, InformationCategory.SocialServicesSspfNotes)]
    [InlineData(Party.Polis, InformationCategory.Police)]
    [InlineData(Party.Fritid, InformationCategory.Basic)]
    [InlineData(Party.Region, InformationCategory.Basic)]
    [InlineData(Party.Annan, InformationCategory.Basic)]
    public void AnInsats_BelongsToItsOwnerPartysCategory(Party owner, InformationCategory category) =>
        Assert.Equal(category, RecordCategories.OfParty(owner));

    [Fact]
    public void JointRecords_AreBasic_AndAnInsatsAssessmentIsSeenOnlyWithItsInsats()
    {
        Assert.Equal(InformationCategory.Basic, RecordCategories.JointRecord);
        var @case = CaseWithActionPlan(out var schoolInsats);
        var socialInsats = @case.ProposeIntervention(InterventionType.ContactPerson, Party.Socialtjanst, SocialWorker, "Kontaktperson", null, null, false, Now.AddDays(1));
        @case.PlanIntervention(socialInsats.Id, SocialWorker, Now.AddDays(1));
        var followUp = @case.FollowUps.Single();
        @case.CompleteFollowUp(followUp.Id, new Dictionary<Guid, string> { [schoolInsats.Id] = "Skolan: bra", [socialInsats.Id] = "Soc: bra" },
            "Helheten: bra", Coordinator, Now.AddDays(2), Rules);

        HashSet<InformationCategory> police = [InformationCategory.Basic, InformationCategory.Police];
        HashSet<InformationCategory> school = [InformationCategory.Basic, InformationCategory.School];
        HashSet<InformationCategory> none = [InformationCategory.School];

        Assert.Empty(RecordCategories.VisibleAssessments(followUp, @case.Interventions, police));
        Assert.Equal([schoolInsats.Id], RecordCategories.VisibleAssessments(followUp, @case.Interventions, school).Select(a => a.InterventionId));
        Assert.Empty(RecordCategories.VisibleAssessments(followUp, @case.Interventions, none));
        Assert.True(RecordCategories.Shows(school, schoolInsats));
        Assert.False(RecordCategories.Shows(school, socialInsats));
        Assert.False(RecordCategories.Shows(none, schoolInsats)); // without the joint records the section itself is absent
        Assert.True(RecordCategories.ShowsJointRecords(police));
    }
}
