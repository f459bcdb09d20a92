namespace SspfSamordning.Domain.Cases;

/// <summary>
/// Handlingsplan: the goals agreed at a network meeting; its insatser are the case's
/// <see cref="Case.Interventions"/>. Owned by <see cref="Case"/> (one per case).
/// </summary>
public sealed class ActionPlan
{
    private ActionPlan()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The network meeting that adopted (or last revised) the plan.</summary>
    public Guid MeetingId { get; private set; }

    /// <summary>Free text, one goal per line (personal data).</summary>
    public string Goals { get; private set; } = "";

    public DateTimeOffset AdoptedAt { get; private set; }
    public DateTimeOffset? RevisedAt { get; private set; }

    internal static ActionPlan Adopt(Guid meetingId, string goals, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        MeetingId = meetingId,
        Goals = DomainText.Required(goals, "goals", "Handlingsplanen saknar mål.", TextLimits.ActionPlanGoals, multiline: true),
        AdoptedAt = now,
    };

    internal void Revise(Guid meetingId, string goals, DateTimeOffset now)
    {
        Goals = DomainText.Required(goals, "goals", "Handlingsplanen saknar mål.", TextLimits.ActionPlanGoals, multiline: true);
        MeetingId = meetingId;
        RevisedAt = now;
    }
}
