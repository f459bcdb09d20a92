namespace SspfSamordning.Api.Features.Reminders;

/// <summary>Configuration <c>Reminders:*</c>. The reminder offsets themselves are the domain's, <c>CaseRules:*</c>.</summary>
public sealed class ReminderOptions
{
    /// <summary>How often each instance looks for due work.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deadlines claimed per transaction.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// How long an e-mail job holds its delivery while sending (keep it above <c>Email:Timeout</c>); a pending delivery
    /// due for this long without having been attempted is taken to have lost its job and gets a new one.
    /// </summary>
    public TimeSpan EmailClaim { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A reminder missed while no instance ran is still sent this long after its time even when its deadline has passed.</summary>
    public TimeSpan CatchUpWindow { get; set; } = TimeSpan.FromHours(12);

    /// <summary>E-mail attempts (the first and Hangfire's retries) before a delivery is marked failed; the wait doubles from <see cref="RetryDelay"/>.</summary>
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>/health/ready reports Degraded when work has waited longer than this ...</summary>
    public TimeSpan HealthOverdueAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>... or when this many deliveries failed for good in the last 24 hours.</summary>
    public int HealthFailedThreshold { get; set; } = 10;
}

/// <summary>Configuration <c>Email:*</c>. Without a host no e-mail is written or sent (in-app notifications only).</summary>
public sealed class EmailOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string From { get; set; } = "sspf-noreply@localhost";
    public bool EnableSsl { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
