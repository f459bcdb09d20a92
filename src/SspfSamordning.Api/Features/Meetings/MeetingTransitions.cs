using SspfSamordning.Api.Features.Cases;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Meetings;

/// <summary>
/// POST /api/cases/{id}/meetings/{meetingId}/transitions {trigger, ...}:
/// <c>Hold {attendeeUserIds, youthAttended, attendingGuardianIds, draftMinutes?}</c> once the meeting time has come;
/// <c>ApproveMinutes</c> (freezes them); <c>Cancel {reason?}</c>; <c>Reschedule {startsAt?, reason?}</c> — without a
/// time the meeting waits in Rescheduled, with one it is Scheduled again at once; <c>Schedule {startsAt}</c> — a
/// Rescheduled meeting gets its new time. The names are the domain's triggers. A refused trigger is a 409 with the
/// meeting's state and permitted triggers; a body field the trigger does not use is a 400.
/// </summary>
public static class MeetingTransitions
{
    public sealed record Request(
        string? Trigger, IReadOnlyList<Guid>? AttendeeUserIds, bool? YouthAttended, IReadOnlyList<Guid>? AttendingGuardianIds,
        string? DraftMinutes, string? Reason, DateTimeOffset? StartsAt);

    /// <summary>What a client sends: every trigger of the meeting's workflow.</summary>
    public static readonly IReadOnlyList<MeetingTrigger> Accepted =
        [MeetingTrigger.Hold, MeetingTrigger.ApproveMinutes, MeetingTrigger.Cancel, MeetingTrigger.Reschedule, MeetingTrigger.Schedule];

    private static readonly Dictionary<MeetingTrigger, IReadOnlySet<string>> FieldsOf = new()
    {
        [MeetingTrigger.Hold] = new HashSet<string> { "attendeeUserIds", "youthAttended", "attendingGuardianIds", "draftMinutes" },
        [MeetingTrigger.ApproveMinutes] = new HashSet<string>(),
        [MeetingTrigger.Cancel] = new HashSet<string> { "reason" },
        [MeetingTrigger.Reschedule] = new HashSet<string> { "startsAt", "reason" },
        [MeetingTrigger.Schedule] = new HashSet<string> { "startsAt" },
    };

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/meetings/{meetingId:guid}/transitions", Handle).RequireAuthorization(Policies.Coordinator);

    public static async Task<Results<Ok<MeetingView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Guid meetingId, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var trigger = ClientTrigger.Parse(request.Trigger, Accepted, errors);
        if (trigger is { } t)
        {
            ClientTrigger.RejectUnused(t.ToString(), FieldsOf[t], errors,
                ("attendeeUserIds", request.AttendeeUserIds is not null), ("youthAttended", request.YouthAttended is not null),
                ("attendingGuardianIds", request.AttendingGuardianIds is not null), ("draftMinutes", request.DraftMinutes is not null),
                ("reason", request.Reason is not null), ("startsAt", request.StartsAt is not null));
            if (t == MeetingTrigger.Hold)
            {
                if (request.AttendeeUserIds is null) errors["attendeeUserIds"] = ["Ange vilka i ärendeteamet som deltog (en tom lista om ingen)."];
                if (request.YouthAttended is null) errors["youthAttended"] = ["Ange om ungdomen deltog."];
                if (request.AttendingGuardianIds is null) errors["attendingGuardianIds"] = ["Ange vilka vårdnadshavare som deltog (en tom lista om ingen)."];
            }
            if (t == MeetingTrigger.Schedule && request.StartsAt is null) errors["startsAt"] = ["Ange mötets nya tid."];
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ChangeAsync(db, id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        switch (trigger)
        {
            case MeetingTrigger.Hold:
                @case.RecordMeetingHeld(meetingId, request.AttendeeUserIds!, request.YouthAttended!.Value, request.AttendingGuardianIds!,
                    request.DraftMinutes, viewer.UserId, now, rules.Value);
                break;
            case MeetingTrigger.ApproveMinutes:
                @case.ApproveMinutes(meetingId, viewer.UserId, now);
                break;
            case MeetingTrigger.Cancel:
                @case.CancelMeeting(meetingId, request.Reason, viewer.UserId, now);
                break;
            case MeetingTrigger.Schedule:
                @case.ScheduleMeetingAgain(meetingId, request.StartsAt!.Value.ToUniversalTime(), viewer.UserId, now, rules.Value);
                break;
            default:
                @case.RescheduleMeeting(meetingId, request.StartsAt?.ToUniversalTime(), request.Reason, viewer.UserId, now, rules.Value);
                break;
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(MeetingView.From(@case.Meetings.Single(m => m.Id == meetingId), now));
    }
}
