using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Meetings;

public sealed record MeetingView(
    Guid Id, MeetingKind Kind, MeetingState State, DateTimeOffset StartsAt, string? Location, Guid OrganizerUserId,
    IReadOnlyList<Guid> InviteeUserIds, IReadOnlyList<Guid> AttendeeUserIds, IReadOnlyList<Guid> AttendingGuardianIds,
    bool YouthAttended, string? Minutes, DateTimeOffset? HeldAt, DateTimeOffset? MinutesApprovedAt, IReadOnlyList<string> PermittedTriggers)
{
    public static MeetingView From(Meeting m, DateTimeOffset now) => new(
        m.Id, m.Kind, m.State, m.StartsAt, m.Location, m.OrganizerUserId,
        [.. m.InviteeUserIds], [.. m.AttendeeUserIds], [.. m.AttendingGuardianIds],
        m.YouthAttended, m.Minutes, m.HeldAt, m.MinutesApprovedAt, ClientPermittedTriggers(m, now));

    /// <summary>The triggers a client may send to <c>POST .../meetings/{meetingId}/transitions</c> now: the domain's, by the same names.</summary>
    public static IReadOnlyList<string> ClientPermittedTriggers(Meeting m, DateTimeOffset now) =>
        [.. m.PermittedTriggers(now).Where(MeetingTransitions.Accepted.Contains).Select(t => t.ToString())];
}

public sealed record ActionPlanView(Guid Id, Guid MeetingId, string Goals, DateTimeOffset AdoptedAt, DateTimeOffset? RevisedAt)
{
    public static ActionPlanView From(ActionPlan p) => new(p.Id, p.MeetingId, p.Goals, p.AdoptedAt, p.RevisedAt);
}
