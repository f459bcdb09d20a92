using SspfSamordning.Domain.ConcernReports;
using SspfSamordning.Domain.Workflows;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public class ConcernReportTests
{
    private const string ViolenceGuard = "Anmälan gäller våld mot barnet";
    private const string ProtectionGuard = "Skyddsbedömning har inte gjorts";
    private static readonly Guid UnitHead = Guid.NewGuid();

    private static readonly Edge<ConcernReportState, ConcernReportTrigger>[] Table =
    [
        new(ConcernReportState.Received, ConcernReportTrigger.AssessProtection, ConcernReportState.ProtectionAssessed),
        new(ConcernReportState.Received, ConcernReportTrigger.OpenInvestigation, ConcernReportState.InvestigationOpened, ViolenceGuard),
        new(ConcernReportState.ProtectionAssessed, ConcernReportTrigger.OpenInvestigation, ConcernReportState.InvestigationOpened),
        new(ConcernReportState.ProtectionAssessed, ConcernReportTrigger.DecideNoInvestigation, ConcernReportState.NoInvestigation),
        new(ConcernReportState.InvestigationOpened, ConcernReportTrigger.AssessProtection, ConcernReportState.InvestigationOpened, ProtectionGuard),
        new(ConcernReportState.InvestigationOpened, ConcernReportTrigger.ExtendInvestigation, ConcernReportState.InvestigationOpened),
        new(ConcernReportState.InvestigationOpened, ConcernReportTrigger.CloseInvestigation, ConcernReportState.InvestigationClosed),
        new(ConcernReportState.InvestigationOpened, ConcernReportTrigger.RecordReporterFeedback, ConcernReportState.InvestigationOpened),
        new(ConcernReportState.NoInvestigation, ConcernReportTrigger.RecordReporterFeedback, ConcernReportState.NoInvestigation),
        new(ConcernReportState.InvestigationClosed, ConcernReportTrigger.RecordReporterFeedback, ConcernReportState.InvestigationClosed),
    ];

    public static TheoryData<ConcernReportState, ConcernReportTrigger> Pairs => TransitionTable.AllPairs<ConcernReportState, ConcernReportTrigger>();

    private static ConcernReport Receive(bool violence = false, DateTimeOffset? at = null) => ConcernReport.Receive(
        Municipality, Teacher, Party.Skola, "Eleven berättar om oro hemma", violence,
        TestPersonnummer.For(BornYearsAgo(14)), "Kim Andersson", caseId: null, SocialWorker, UnitHead, at ?? Now, Rules);

    private static ConcernReport ReportIn(ConcernReportState state)
    {
        var report = Receive();
        if (state == ConcernReportState.Received) return report;
        report.AssessProtection("Inget akut skyddsbehov", false, SocialWorker, Party.Socialtjanst, Now);
        if (state is ConcernReportState.InvestigationOpened or ConcernReportState.InvestigationClosed)
            report.OpenInvestigation(null, SocialWorker, Party.Socialtjanst, Now.AddDays(5), Rules);
        if (state == ConcernReportState.InvestigationClosed)
            report.CloseInvestigation("Utredning klar", SocialWorker, Party.Socialtjanst, Now.AddMonths(3));
        if (state == ConcernReportState.NoInvestigation)
            report.DecideNoInvestigation("Ingen grund", SocialWorker, Party.Socialtjanst, Now.AddDays(5), Rules);
        return report;
    }

    private static Deadline DeadlineOf(ConcernReport report, DeadlineKind kind) => report.Deadlines.Single(d => d.Kind == kind);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fire_EveryStateAndTrigger_FollowsTheTransitionTable(ConcernReportState state, ConcernReportTrigger trigger) =>
        TransitionTable.Verify(Table, state, trigger, ConcernReport.Build(ReportIn(state)));

    [Fact]
    public void Definition_HoldsExactlyTheTransitionTable() => TransitionTable.VerifyDefinition(Table, ConcernReport.Definition);

    [Fact]
    public void Receive_CreatesProtectionAndPreliminaryAssessmentDeadlines()
    {
        var report = Receive();

        Assert.Equal(ConcernReportState.Received, report.State);
        var protection = DeadlineOf(report, DeadlineKind.ProtectionAssessment);
        Assert.Equal((new DateTimeOffset(2026, 3, 10, 23, 59, 59, TimeSpan.FromHours(1)), SocialWorker, UnitHead, report.Id),
            (protection.DueAt, protection.ResponsibleUserId, protection.EscalateToUserId, protection.SubjectId));
        var preliminary = DeadlineOf(report, DeadlineKind.PreliminaryAssessment);
        Assert.Equal((Now.AddDays(14), Now.AddDays(11)), (preliminary.DueAt, preliminary.RemindAt));
    }

    [Theory]
    [InlineData("2026-03-10T09:00:00+01:00", "2026-03-10")] // Tuesday morning: same day
    [InlineData("2026-03-10T15:59:00+01:00", "2026-03-10")]
    [InlineData("2026-03-10T16:00:00+01:00", "2026-03-11")] // late: next working day
    [InlineData("2026-03-10T15:30:00+00:00", "2026-03-11")] // 16:30 Swedish time given in UTC
    [InlineData("2026-03-13T17:00:00+01:00", "2026-03-16")] // Friday evening: Monday
    [InlineData("2026-03-14T10:00:00+01:00", "2026-03-16")] // Saturday: Monday
    [InlineData("2026-03-15T08:00:00+01:00", "2026-03-16")] // Sunday: Monday
    [InlineData("2026-06-10T15:30:00+00:00", "2026-06-11")] // 17:30 summer time
    public void ProtectionAssessmentDue_IsSameDayOrNextWorkingDayWhenLate(string receivedAt, string dueDate)
    {
        var due = ConcernReport.ProtectionAssessmentDue(DateTimeOffset.Parse(receivedAt), Rules);

        var local = SwedishCalendar.ToLocal(due);
        Assert.Equal(DateOnly.Parse(dueDate), DateOnly.FromDateTime(local.DateTime));
        Assert.Equal(new TimeOnly(23, 59, 59), TimeOnly.FromDateTime(local.DateTime));
    }

    [Fact]
    public void ProtectionAssessmentDue_LateHourIsConfigurable()
    {
        var due = ConcernReport.ProtectionAssessmentDue(Now.AddHours(6), Rules with { ConcernReportLateAfter = new TimeOnly(18, 0) });

        Assert.Equal(new DateOnly(2026, 3, 10), SwedishCalendar.DateOf(due));
    }

    [Fact]
    public void Receive_ViolenceAgainstTheChild_OpensAnInvestigationDirectly()
    {
        var report = Receive(violence: true);

        Assert.Equal(ConcernReportState.InvestigationOpened, report.State);
        var opened = Assert.Single(report.History);
        Assert.Equal(("Received", "InvestigationOpened", TransitionEvent.SystemActor), (opened.From, opened.To, opened.ActorUserId));
        Assert.Equal((Swedish(2026, 7, 10), Swedish(2026, 6, 26)),
            (DeadlineOf(report, DeadlineKind.InvestigationDue).DueAt, DeadlineOf(report, DeadlineKind.InvestigationDue).RemindAt));
        Assert.Equal(ReporterStatus.InvestigationOpened, report.StatusForReporter);
    }

    [Fact]
    public void AssessProtection_CompletesItsDeadline()
    {
        var report = ReportIn(ConcernReportState.ProtectionAssessed);

        Assert.Equal(DeadlineState.Completed, DeadlineOf(report, DeadlineKind.ProtectionAssessment).State);
        Assert.Equal(DeadlineState.Open, DeadlineOf(report, DeadlineKind.PreliminaryAssessment).State);
        Assert.Equal(ReporterStatus.Received, report.StatusForReporter);
    }

    [Theory]
    [InlineData(Party.Skola)]
    [InlineData(Party.Polis)]
    [InlineData(Party.Fritid)]
    public void AssessProtection_ByAnyoneButSocialServices_IsRefused(Party party)
    {
        var report = Receive();

        var error = Assert.Throws<DomainRuleException>(() => report.AssessProtection("x", false, Teacher, party, Now));

        Assert.Equal("OnlySocialServices", error.Code);
        Assert.Equal(ConcernReportState.Received, report.State);
    }

    [Fact]
    public void OpenInvestigation_CompletesPreliminaryAssessmentAndStartsInvestigationAndFeedbackDeadlines()
    {
        var report = ReportIn(ConcernReportState.InvestigationOpened);
        var decidedAt = Now.AddDays(5);

        Assert.Equal(DeadlineState.Completed, DeadlineOf(report, DeadlineKind.PreliminaryAssessment).State);
        Assert.Equal(Swedish(2026, 7, 15), report.InvestigationDueAt);
        Assert.Equal(Swedish(2026, 7, 15), DeadlineOf(report, DeadlineKind.InvestigationDue).DueAt);
        Assert.Equal(decidedAt.AddDays(7), DeadlineOf(report, DeadlineKind.ReporterFeedback).DueAt);
    }

    [Fact]
    public void OpenInvestigation_FromReceivedWithoutViolence_IsRefusedWithTheGuard()
    {
        var report = Receive();

        var refused = Assert.Throws<TransitionRefusedException>(() => report.OpenInvestigation(null, SocialWorker, Party.Socialtjanst, Now, Rules));

        Assert.Equal([ViolenceGuard], refused.UnmetGuards);
        Assert.Equal(["AssessProtection"], refused.PermittedTriggers);
    }

    [Fact]
    public void DecideNoInvestigation_TellsTheReporterOnlyTheStatusAndTracksFeedback()
    {
        var report = ReportIn(ConcernReportState.NoInvestigation);

        Assert.Equal(ReporterStatus.NoInvestigation, report.StatusForReporter);
        Assert.DoesNotContain(report.Deadlines, d => d.Kind == DeadlineKind.InvestigationDue);

        report.RecordReporterFeedback(SocialWorker, Party.Socialtjanst, Now.AddDays(6));

        Assert.Equal(DeadlineState.Completed, DeadlineOf(report, DeadlineKind.ReporterFeedback).State);
        Assert.Equal(Now.AddDays(6), report.ReporterFeedbackGivenAt);
        var feedback = report.History.Last();
        Assert.Equal(("RecordReporterFeedback", "NoInvestigation", "NoInvestigation", SocialWorker, Now.AddDays(6)),
            (feedback.Trigger, feedback.From, feedback.To, feedback.ActorUserId, feedback.At));

        var twice = Assert.Throws<TransitionRefusedException>(() => report.RecordReporterFeedback(SocialWorker, Party.Socialtjanst, Now.AddDays(7)));
        Assert.Equal(["Återkoppling har inte lämnats"], twice.UnmetGuards);
        Assert.Equal(Now.AddDays(6), report.ReporterFeedbackGivenAt);
    }

    [Fact]
    public void RecordReporterFeedback_BeforeDecision_IsRefused()
    {
        var refused = Assert.Throws<TransitionRefusedException>(() => Receive().RecordReporterFeedback(SocialWorker, Party.Socialtjanst, Now));
        Assert.Equal("Received", refused.CurrentState);
        Assert.DoesNotContain("RecordReporterFeedback", refused.PermittedTriggers);
    }

    [Fact]
    public void ReporterFeedbackDeadline_IsConfigurable()
    {
        var report = Receive();
        report.AssessProtection("ok", false, SocialWorker, Party.Socialtjanst, Now);

        report.DecideNoInvestigation(null, SocialWorker, Party.Socialtjanst, Now, Rules with { ReporterFeedbackDeadline = TimeSpan.FromDays(3) });

        Assert.Equal(Now.AddDays(3), DeadlineOf(report, DeadlineKind.ReporterFeedback).DueAt);
    }

    [Fact]
    public void ExtendInvestigation_RecordsReasonAndMovesTheDeadline()
    {
        var report = ReportIn(ConcernReportState.InvestigationOpened);
        var newDue = report.InvestigationDueAt!.Value.AddMonths(2);

        report.ExtendInvestigation(newDue, "Särskilda skäl: väntar på BUP", SocialWorker, Party.Socialtjanst, Now.AddMonths(3), Rules);

        Assert.Equal(ConcernReportState.InvestigationOpened, report.State);
        Assert.Equal(newDue, report.InvestigationDueAt);
        Assert.Contains(report.History, e => e is { Trigger: "ExtendInvestigation", Reason: "Särskilda skäl: väntar på BUP" });
        var deadlines = report.Deadlines.Where(d => d.Kind == DeadlineKind.InvestigationDue).ToList();
        Assert.Equal([DeadlineState.Cancelled, DeadlineState.Open], deadlines.Select(d => d.State));
        Assert.Equal(newDue, deadlines[1].DueAt);
    }

    [Fact]
    public void ExtendInvestigation_WithoutReason_IsAValidationError()
    {
        var report = ReportIn(ConcernReportState.InvestigationOpened);

        var error = Assert.Throws<DomainValidationException>(() =>
            report.ExtendInvestigation(report.InvestigationDueAt!.Value.AddMonths(1), "", SocialWorker, Party.Socialtjanst, Now, Rules));

        Assert.Equal(["reason"], error.Errors.Keys);
    }

    [Fact]
    public void ExtendInvestigation_ToAnEarlierDate_IsAValidationError()
    {
        var report = ReportIn(ConcernReportState.InvestigationOpened);

        Assert.Throws<DomainValidationException>(() =>
            report.ExtendInvestigation(report.InvestigationDueAt!.Value, "Skäl", SocialWorker, Party.Socialtjanst, Now, Rules));
    }

    /// <summary>Decision 14: an extension is "for a certain time", at most InvestigationMonths beyond the current due date.</summary>
    [Fact]
    public void ExtendInvestigation_BeyondTheInvestigationPeriod_IsAValidationError_AndMovesNothing()
    {
        var report = ReportIn(ConcernReportState.InvestigationOpened);
        var due = report.InvestigationDueAt!.Value;
        Assert.Equal(Swedish(2026, 7, 15), due);
        var latest = Swedish(2026, 11, 15); // four calendar months on

        var error = Assert.Throws<DomainValidationException>(() =>
            report.ExtendInvestigation(latest.AddMinutes(1), "Skäl", SocialWorker, Party.Socialtjanst, Now, Rules));

        Assert.Equal(["newDueAt"], error.Errors.Keys);
        Assert.Equal(due, report.InvestigationDueAt);
        Assert.DoesNotContain(report.History, e => e.Trigger == "ExtendInvestigation");
        report.ExtendInvestigation(latest, "Skäl", SocialWorker, Party.Socialtjanst, Now, Rules);
        Assert.Equal(latest, report.InvestigationDueAt);
    }

    /// <summary>Decision 1: a violence report opens its investigation on receipt, but cannot close it before its protection assessment.</summary>
    [Fact]
    public void CloseInvestigation_OfAViolenceReportNotYetAssessed_IsRefusedWithTheGuard_ThenAllowed()
    {
        var report = Receive(violence: true);

        var refused = Assert.Throws<TransitionRefusedException>(() =>
            report.CloseInvestigation("Klar", SocialWorker, Party.Socialtjanst, Now.AddDays(1)));

        Assert.Equal(["Skyddsbedömning har gjorts"], refused.UnmetGuards);
        Assert.Equal(ConcernReportState.InvestigationOpened, report.State);
        report.AssessProtection("Inget akut skyddsbehov", false, SocialWorker, Party.Socialtjanst, Now.AddDays(1));
        report.CloseInvestigation("Klar", SocialWorker, Party.Socialtjanst, Now.AddDays(2));
        Assert.Equal(ConcernReportState.InvestigationClosed, report.State);
        Assert.DoesNotContain(report.Deadlines, d => d.State == DeadlineState.Open && d.Kind != DeadlineKind.ReporterFeedback);
    }

    [Fact]
    public void ExtendInvestigation_ToADateAlreadyPast_IsAValidationError()
    {
        var report = ReportIn(ConcernReportState.InvestigationOpened);
        var due = report.InvestigationDueAt!.Value;
        var later = due.AddMonths(1);

        var error = Assert.Throws<DomainValidationException>(() =>
            report.ExtendInvestigation(due.AddDays(10), "Skäl", SocialWorker, Party.Socialtjanst, later, Rules));

        Assert.Equal("Den nya tidsgränsen måste ligga i framtiden.", Assert.Single(error.Errors["newDueAt"]));
        Assert.Equal(due, report.InvestigationDueAt);
    }

    [Fact]
    public void CloseInvestigation_CompletesTheInvestigationDeadline()
    {
        var report = ReportIn(ConcernReportState.InvestigationClosed);

        Assert.Equal(DeadlineState.Completed, DeadlineOf(report, DeadlineKind.InvestigationDue).State);
        Assert.Equal(ReporterStatus.InvestigationOpened, report.StatusForReporter);
    }

    [Fact]
    public void Receive_NormalisesThePersonnummerAndRequiresContent()
    {
        Assert.Equal(12, Receive().YouthPersonnummer!.Length);
        Assert.Throws<DomainValidationException>(() => ConcernReport.Receive(
            Municipality, Teacher, Party.Skola, " ", false, null, null, null, SocialWorker, UnitHead, Now, Rules));
    }

    [Fact]
    public void LinkToCase_BySocialServices_SetsTheCaseId()
    {
        var report = Receive();
        var caseId = Guid.NewGuid();

        report.LinkToCase(caseId, Party.Socialtjanst);

        Assert.Equal(caseId, report.CaseId);
        Assert.Throws<DomainRuleException>(() => report.LinkToCase(Guid.NewGuid(), Party.Skola));
    }
}
