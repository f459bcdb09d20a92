using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Reminders;

public enum DeliveryChannel
{
    InApp,
    Email,
}

public enum DeliveryState
{
    Pending,
    Sent,
    Failed,
    /// <summary>Not sent: its task was closed after the reminder was written (the case closed, the task done).</summary>
    Cancelled,
}

/// <summary>An entry of a user's in-app inbox: the text of a reminder or escalation (case number and task only).</summary>
public sealed class Notification
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public Guid DeadlineId { get; init; }
    public ReminderStep Step { get; init; }
    public Guid? CaseId { get; init; }
    public Guid? ConcernReportId { get; init; }
    public string Text { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>
/// The outbox: one row per deadline, step and channel (unique: the delivery key), written in the transaction that
/// claims the step. In-app rows are delivered in that same transaction; each e-mail row gets its own Hangfire job
/// (<see cref="EmailDeliveryJob"/>), retried by Hangfire with backoff, which records attempts and the last error (an
/// exception type and SMTP status, no content) here.
/// </summary>
public sealed class ReminderDelivery
{
    public Guid Id { get; init; }
    public Guid DeadlineId { get; init; }
    public ReminderStep Step { get; init; }
    public DeliveryChannel Channel { get; init; }
    public Guid UserId { get; init; }
    public string Text { get; init; } = "";
    public DeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the next attempt is due (Hangfire's retry waits as long), or until when a running job holds it.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("Notifications");
        b.Property(n => n.Text).HasMaxLength(300);
        b.HasIndex(n => new { n.UserId, n.CreatedAt });
    }
}

internal sealed class ReminderDeliveryConfiguration : IEntityTypeConfiguration<ReminderDelivery>
{
    public void Configure(EntityTypeBuilder<ReminderDelivery> b)
    {
        b.ToTable("ReminderDeliveries");
        b.Property(d => d.Text).HasMaxLength(300);
        b.Property(d => d.LastError).HasMaxLength(200);
        b.HasIndex(d => new { d.DeadlineId, d.Step, d.Channel, d.UserId }).IsUnique();
        b.HasIndex(d => new { d.State, d.NextAttemptAt });
    }
}
