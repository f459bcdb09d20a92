namespace SspfSamordning.Domain;

/// <summary>
/// The Swedish text of a reminder or an escalation (domain.md, "Deadlines and reminders"): the case number and the
/// task, nothing else — never a name, a personnummer or anything of the case's content, since it leaves the system
/// by e-mail. A concern report has no case number of its own; its text names only the task.
/// </summary>
public static class ReminderText
{
    public const string EmailSubject = "Uppgift i SSPF Samordning";

    public static string For(DeadlineKind kind, ReminderStep step, string? caseNumber)
    {
        var where = string.IsNullOrEmpty(caseNumber) ? "" : $" i ärende {caseNumber}";
        return step == ReminderStep.Reminder
            ? $"Du har en uppgift{where}: {Task(kind)}."
            : $"Tidsfristen har passerat för en uppgift{where}: {Task(kind)}.";
    }

    private static string Task(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Meeting => "möte som snart börjar",
        DeadlineKind.MinutesApproval => "protokoll som väntar på godkännande",
        DeadlineKind.ConsentUnanswered => "samtycke som inte har besvarats",
        DeadlineKind.ConsentExpiring => "påminnelse om samtycke som snart löper ut",
        DeadlineKind.FollowUpDue => "uppföljning som ska göras",
        DeadlineKind.ProtectionAssessment => "skyddsbedömning av en orosanmälan",
        DeadlineKind.PreliminaryAssessment => "förhandsbedömning av en orosanmälan",
        DeadlineKind.InvestigationDue => "utredning som ska avslutas",
        DeadlineKind.ReporterFeedback => "återkoppling till den som gjort en orosanmälan",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
