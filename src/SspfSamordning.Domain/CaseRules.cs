namespace SspfSamordning.Domain;

/// <summary>
/// Every configurable duration and list of the domain, with the defaults of domain.md.
/// Bind it from configuration and pass it to the methods that need it.
/// </summary>
public sealed record CaseRules
{
    public static CaseRules Default { get; } = new();

    public int ReopenWithinMonths { get; init; } = 6;

    public int ConsentValidityMonths { get; init; } = 12;
    public TimeSpan ConsentAnswerDeadline { get; init; } = TimeSpan.FromDays(14);
    public TimeSpan ConsentExpiryReminder { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan MeetingReminder { get; init; } = TimeSpan.FromDays(2);
    /// <summary>A meeting is booked at most this many months ahead (decision 14).</summary>
    public int MeetingMaxMonthsAhead { get; init; } = 12;
    public TimeSpan MinutesApprovalDeadline { get; init; } = TimeSpan.FromDays(7);
    /// <summary>How far back a meeting that already took place may be recorded (domain.md: up to 30 days).</summary>
    public TimeSpan MeetingRecordWindow { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan FirstFollowUpAfterActionPlan { get; init; } = TimeSpan.FromDays(42);
    public int FollowUpIntervalMonths { get; init; } = 3;
    public TimeSpan FollowUpReminder { get; init; } = TimeSpan.FromDays(7);

    /// <summary>A concern report received at or after this Swedish local time (or on a weekend) gets its protection assessment due the next working day.</summary>
    public TimeOnly ConcernReportLateAfter { get; init; } = new(16, 0);
    public TimeSpan PreliminaryAssessmentDeadline { get; init; } = TimeSpan.FromDays(14);
    public TimeSpan PreliminaryAssessmentReminder { get; init; } = TimeSpan.FromDays(3);
    public int InvestigationMonths { get; init; } = 4;
    public TimeSpan InvestigationReminder { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Feedback to the reporter is due this long after the decision whether to investigate.</summary>
    public TimeSpan ReporterFeedbackDeadline { get; init; } = TimeSpan.FromDays(7);

    public IReadOnlyList<string> DisclosureLegalBases { get; init; } = ["OSL 10 kap. 18 a §"];

    /// <summary>A disclosure without consent ends at the latest this many months after it is made (domain.md: "until a
    /// configured end date"); a longer access is a new decision.</summary>
    public int DisclosureMaxMonths { get; init; } = 12;
}
