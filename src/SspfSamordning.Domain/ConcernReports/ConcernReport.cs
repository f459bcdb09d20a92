using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.ConcernReports;

public enum ConcernReportState
{
    Received,
    ProtectionAssessed,
    InvestigationOpened,
    NoInvestigation,
    InvestigationClosed,
}

public enum ConcernReportTrigger
{
    AssessProtection,
    OpenInvestigation,
    DecideNoInvestigation,
    ExtendInvestigation,
    CloseInvestigation,

    /// <summary>Återkoppling to the reporter once decided; the state stays (an internal transition, recorded in the history).</summary>
    RecordReporterFeedback,
}

/// <summary>What a reporter outside socialtjänst may know: the status, never the content.</summary>
public enum ReporterStatus
{
    Received,
    InvestigationOpened,
    NoInvestigation,
}

/// <summary>
/// Orosanmälan: its own aggregate root (optionally linked to a case by id), handled only by
/// socialtjänst. Its content and assessments are socialtjänst-internal personal data.
/// </summary>
public sealed class ConcernReport
{
    public const string WorkflowName = nameof(ConcernReport);
    private const string ViolenceGuard = "Anmälan gäller våld mot barnet";
    private const string FeedbackGuard = "Återkoppling har inte lämnats";
    private const string ProtectionGuard = "Skyddsbedömning har inte gjorts";
    private const string ProtectionDoneGuard = "Skyddsbedömning har gjorts";

    private readonly List<Deadline> _deadlines = [];
    private readonly List<TransitionEvent> _history = [];

    private ConcernReport()
    {
    }

    public static WorkflowDescription Definition => Machine.Describe();

    public Guid Id { get; private set; }
    public Guid MunicipalityId { get; private set; }
    public Guid? CaseId { get; private set; }
    public ConcernReportState State { get; private set; }
    public Guid ReporterUserId { get; private set; }
    public Party ReporterParty { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>The report itself (personal data, socialtjänst-internal).</summary>
    public string Content { get; private set; } = "";

    /// <summary>Personal data; normalised 12 digits when given.</summary>
    public string? YouthPersonnummer { get; private set; }

    /// <summary>Personal data.</summary>
    public string? YouthName { get; private set; }

    public bool ConcernsViolenceAgainstChild { get; private set; }

    /// <summary>The social worker who handles the report; reminders go here.</summary>
    public Guid ResponsibleUserId { get; private set; }

    /// <summary>Usually the unit head; overdue deadlines escalate here.</summary>
    public Guid EscalateToUserId { get; private set; }

    /// <summary>Personal data, socialtjänst-internal.</summary>
    public string? ProtectionAssessment { get; private set; }

    public bool? ImmediateProtectionNeeded { get; private set; }
    public DateTimeOffset? ProtectionAssessedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public DateTimeOffset? InvestigationOpenedAt { get; private set; }
    public DateTimeOffset? InvestigationDueAt { get; private set; }
    public DateTimeOffset? InvestigationClosedAt { get; private set; }
    public DateTimeOffset? ReporterFeedbackGivenAt { get; private set; }

    public IReadOnlyCollection<Deadline> Deadlines => _deadlines;
    public IReadOnlyCollection<TransitionEvent> History => _history;

    public ReporterStatus StatusForReporter => State switch
    {
        ConcernReportState.InvestigationOpened or ConcernReportState.InvestigationClosed => ReporterStatus.InvestigationOpened,
        ConcernReportState.NoInvestigation => ReporterStatus.NoInvestigation,
        _ => ReporterStatus.Received,
    };

    public IReadOnlyList<ConcernReportTrigger> PermittedTriggers => Build(this).PermittedTriggers;

    /// <summary>
    /// Registers a report from any party. Every report's protection assessment is due the same Swedish day, or the
    /// next working day (weekends and Swedish public holidays skipped) when received on a non-working day or
    /// at/after <see cref="CaseRules.ConcernReportLateAfter"/>. A report of violence against the child opens an
    /// investigation at once (by the system) and still needs its protection assessment, with the same deadline.
    /// </summary>
    public static ConcernReport Receive(
        Guid municipalityId, Guid reporterUserId, Party reporterParty, string content, bool concernsViolenceAgainstChild,
        string? youthPersonnummer, string? youthName, Guid? caseId, Guid responsibleUserId, Guid escalateToUserId,
        DateTimeOffset now, CaseRules rules)
    {
        var report = new ConcernReport
        {
            Id = Guid.CreateVersion7(now),
            MunicipalityId = municipalityId,
            CaseId = caseId,
            State = ConcernReportState.Received,
            ReporterUserId = reporterUserId,
            ReporterParty = reporterParty,
            ReceivedAt = now,
            Content = DomainText.Required(content, "content", "Anmälan saknar innehåll.", TextLimits.ConcernReportContent, multiline: true),
            YouthPersonnummer = string.IsNullOrWhiteSpace(youthPersonnummer)
                ? null
                : Personnummer.Parse(youthPersonnummer, SwedishCalendar.DateOf(now), "youthPersonnummer").Value,
            YouthName = DomainText.Optional(youthName, "youthName", 2 * TextLimits.Name + 1),
            ConcernsViolenceAgainstChild = concernsViolenceAgainstChild,
            ResponsibleUserId = responsibleUserId,
            EscalateToUserId = escalateToUserId,
        };
        // Every report, violence included, gets its protection assessment due the day it arrives (decision 1).
        report.AddDeadline(DeadlineKind.ProtectionAssessment, ProtectionAssessmentDue(now, rules), now, now);
        if (concernsViolenceAgainstChild)
        {
            report.Decide(ConcernReportTrigger.OpenInvestigation, ViolenceGuard, TransitionEvent.SystemActor, now, rules);
            return report;
        }
        var preliminaryDue = now + rules.PreliminaryAssessmentDeadline;
        report.AddDeadline(DeadlineKind.PreliminaryAssessment, preliminaryDue, preliminaryDue - rules.PreliminaryAssessmentReminder, now);
        return report;
    }

    public static DateTimeOffset ProtectionAssessmentDue(DateTimeOffset receivedAt, CaseRules rules)
    {
        var local = SwedishCalendar.ToLocal(receivedAt);
        var date = DateOnly.FromDateTime(local.DateTime);
        var late = !SwedishCalendar.IsWorkingDay(date) || TimeOnly.FromDateTime(local.DateTime) >= rules.ConcernReportLateAfter;
        return SwedishCalendar.EndOfDay(late ? SwedishCalendar.NextWorkingDay(date) : date);
    }

    public void LinkToCase(Guid caseId, Party actorParty)
    {
        EnsureSocialServices(actorParty);
        CaseId = caseId;
    }

    public void AssessProtection(string assessment, bool immediateProtectionNeeded, Guid actorUserId, Party actorParty, DateTimeOffset now)
    {
        EnsureSocialServices(actorParty);
        var text = DomainText.Required(assessment, "assessment", "Skyddsbedömningen saknar text.", TextLimits.Assessment, multiline: true);
        Fire(ConcernReportTrigger.AssessProtection, actorUserId, now, null);
        ProtectionAssessment = text;
        ImmediateProtectionNeeded = immediateProtectionNeeded;
        ProtectionAssessedAt = now;
        _deadlines.Close(Id, DeadlineKind.ProtectionAssessment, DeadlineState.Completed, now);
    }

    public void OpenInvestigation(string? reason, Guid actorUserId, Party actorParty, DateTimeOffset now, CaseRules rules)
    {
        reason = DomainText.Reason(reason);
        EnsureSocialServices(actorParty);
        Decide(ConcernReportTrigger.OpenInvestigation, reason, actorUserId, now, rules);
    }

    public void DecideNoInvestigation(string? reason, Guid actorUserId, Party actorParty, DateTimeOffset now, CaseRules rules)
    {
        reason = DomainText.Reason(reason);
        EnsureSocialServices(actorParty);
        Decide(ConcernReportTrigger.DecideNoInvestigation, reason, actorUserId, now, rules);
    }

    /// <summary>Extends the investigation to <paramref name="newDueAt"/>; the reason is required and recorded on the transition.</summary>
    public void ExtendInvestigation(DateTimeOffset newDueAt, string reason, Guid actorUserId, Party actorParty, DateTimeOffset now, CaseRules rules)
    {
        EnsureSocialServices(actorParty);
        var text = DomainText.Required(reason, "reason", "Skäl för förlängning saknas.", TextLimits.Reason, multiline: true);
        var current = InvestigationDueAt ?? now;
        if (newDueAt <= current)
            throw new DomainValidationException("newDueAt", "Den nya tidsgränsen måste ligga efter den nuvarande.");
        if (newDueAt <= now)
            throw new DomainValidationException("newDueAt", "Den nya tidsgränsen måste ligga i framtiden.");
        // "For a certain time" (SoL 11 kap. 2 §): at most InvestigationMonths at a time; a further extension is a new decision with its own reason (decision 14).
        if (newDueAt > SwedishCalendar.AddMonths(current, rules.InvestigationMonths))
            throw new DomainValidationException("newDueAt",
                $"En förlängning kan vara högst {rules.InvestigationMonths} månader efter den nuvarande tidsgränsen; behövs mer tid är det ett nytt beslut med eget skäl.");
        Fire(ConcernReportTrigger.ExtendInvestigation, actorUserId, now, text);
        _deadlines.Close(Id, DeadlineKind.InvestigationDue, DeadlineState.Cancelled, now);
        InvestigationDueAt = newDueAt;
        AddDeadline(DeadlineKind.InvestigationDue, newDueAt, newDueAt - rules.InvestigationReminder, now);
    }

    public void CloseInvestigation(string? reason, Guid actorUserId, Party actorParty, DateTimeOffset now)
    {
        reason = DomainText.Reason(reason);
        EnsureSocialServices(actorParty);
        Fire(ConcernReportTrigger.CloseInvestigation, actorUserId, now, reason);
        InvestigationClosedAt = now;
        _deadlines.Close(Id, DeadlineKind.InvestigationDue, DeadlineState.Completed, now);
    }

    /// <summary>The reporter has been told whether an investigation was opened (status only); once, after the decision.</summary>
    public void RecordReporterFeedback(Guid actorUserId, Party actorParty, DateTimeOffset now)
    {
        EnsureSocialServices(actorParty);
        Fire(ConcernReportTrigger.RecordReporterFeedback, actorUserId, now, null);
        ReporterFeedbackGivenAt = now;
        _deadlines.Close(Id, DeadlineKind.ReporterFeedback, DeadlineState.Completed, now);
    }

    private void Decide(ConcernReportTrigger trigger, string? reason, Guid actorUserId, DateTimeOffset now, CaseRules rules)
    {
        Fire(trigger, actorUserId, now, reason);
        DecidedAt = now;
        _deadlines.Close(Id, DeadlineKind.PreliminaryAssessment, DeadlineState.Completed, now);
        var feedbackDue = now + rules.ReporterFeedbackDeadline;
        AddDeadline(DeadlineKind.ReporterFeedback, feedbackDue, feedbackDue, now);
        if (State != ConcernReportState.InvestigationOpened) return;
        InvestigationOpenedAt = now;
        InvestigationDueAt = SwedishCalendar.AddMonths(now, rules.InvestigationMonths);
        AddDeadline(DeadlineKind.InvestigationDue, InvestigationDueAt.Value, InvestigationDueAt.Value - rules.InvestigationReminder, now);
    }

    private void AddDeadline(DeadlineKind kind, DateTimeOffset dueAt, DateTimeOffset? remindAt, DateTimeOffset now) =>
        _deadlines.Add(Deadline.Create(kind, Id, dueAt, remindAt, ResponsibleUserId, EscalateToUserId, now));

    private static void EnsureSocialServices(Party actorParty)
    {
        if (actorParty != Party.Socialtjanst)
            throw new DomainRuleException("OnlySocialServices", "Endast socialtjänsten handlägger orosanmälningar.");
    }

    private void Fire(ConcernReportTrigger trigger, Guid actorUserId, DateTimeOffset now, string? reason) =>
        _history.Add(TransitionEvent.Of(WorkflowName, Id, Build(this).Fire(trigger), actorUserId, now, reason));

    internal static BoundWorkflow<ConcernReport, ConcernReportState, ConcernReportTrigger> Build(ConcernReport r) => Machine.Bind(r);

    private static readonly WorkflowMachine<ConcernReport, ConcernReportState, ConcernReportTrigger> Machine =
        new(WorkflowName, r => r.State, (r, s) => r.State = s, (workflow, bound) =>
    {
        workflow.Configure(ConcernReportState.Received)
            .Permit(ConcernReportTrigger.AssessProtection, ConcernReportState.ProtectionAssessed)
            .PermitIf(ConcernReportTrigger.OpenInvestigation, ConcernReportState.InvestigationOpened, () => bound().ConcernsViolenceAgainstChild, ViolenceGuard);
        workflow.Configure(ConcernReportState.ProtectionAssessed)
            .Permit(ConcernReportTrigger.OpenInvestigation, ConcernReportState.InvestigationOpened)
            .Permit(ConcernReportTrigger.DecideNoInvestigation, ConcernReportState.NoInvestigation);
        // A report of violence opens its investigation on receipt; its protection assessment is still made, once.
        workflow.Configure(ConcernReportState.InvestigationOpened)
            .InternalTransitionIf(ConcernReportTrigger.AssessProtection, _ => bound().ProtectionAssessedAt is null, _ => { }, ProtectionGuard)
            .PermitReentry(ConcernReportTrigger.ExtendInvestigation)
            // Decision 1: every report gets its protection assessment — a violence report's investigation closes only after it.
            .PermitIf(ConcernReportTrigger.CloseInvestigation, ConcernReportState.InvestigationClosed,
                () => bound().ProtectionAssessedAt is not null, ProtectionDoneGuard);
        foreach (var decided in new[] { ConcernReportState.InvestigationOpened, ConcernReportState.NoInvestigation, ConcernReportState.InvestigationClosed })
            workflow.Configure(decided)
                .InternalTransitionIf(ConcernReportTrigger.RecordReporterFeedback, _ => bound().ReporterFeedbackGivenAt is null, _ => { }, FeedbackGuard);
    });
}
