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
/// POST /api/cases/{id}/meetings {kind, startsAt, location?, inviteeUserIds}: the coordinator books a meeting.
/// A Mapping meeting may precede consent; a Network meeting needs an Active case. Every invitee must be a case
/// member whose party the consent in force covers (the domain refuses others with 409 and the reason).
/// With <c>held {attendeeUserIds, youthAttended, attendingGuardianIds, draftMinutes?}</c> instead of
/// <c>inviteeUserIds</c> it records a meeting that already took place at <c>startsAt</c> (up to 30 days back,
/// <c>CaseRules:MeetingRecordWindow</c>): the attendees are its invitees, and it is Held at once.
/// </summary>
public static class ScheduleMeeting
{
    public sealed record Request(MeetingKind? Kind, DateTimeOffset? StartsAt, string? Location, IReadOnlyList<Guid>? InviteeUserIds, HeldInput? Held);

    /// <summary>Who attended a meeting that already took place, as when holding one (<c>Hold</c>).</summary>
    public sealed record HeldInput(IReadOnlyList<Guid>? AttendeeUserIds, bool? YouthAttended, IReadOnlyList<Guid>? AttendingGuardianIds, string? DraftMinutes);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/meetings", Handle).RequireAuthorization(Policies.Coordinator);

    public static async Task<Results<Created<MeetingView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is null) errors["kind"] = ["Ange mötestyp: Mapping eller Network."];
        if (request.StartsAt is null) errors["startsAt"] = ["Ange när mötet börjar."];
        if (request.Held is { } held)
        {
            if (request.InviteeUserIds is not null) errors["inviteeUserIds"] = ["Ett hållet möte har deltagare (held.attendeeUserIds), inte inbjudna."];
            if (held.AttendeeUserIds is null) errors["held.attendeeUserIds"] = ["Ange vilka i ärendeteamet som deltog (en tom lista om ingen)."];
            if (held.YouthAttended is null) errors["held.youthAttended"] = ["Ange om ungdomen deltog."];
            if (held.AttendingGuardianIds is null) errors["held.attendingGuardianIds"] = ["Ange vilka vårdnadshavare som deltog (en tom lista om ingen)."];
        }
        else if (request.InviteeUserIds is null) errors["inviteeUserIds"] = ["Ange de inbjudna (en tom lista om inga)."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ChangeAsync(db, id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        var startsAt = request.StartsAt!.Value.ToUniversalTime();
        var meeting = request.Held is { } h
            ? @case.RecordHeldMeeting(request.Kind!.Value, startsAt, request.Location, h.AttendeeUserIds!, h.YouthAttended!.Value,
                h.AttendingGuardianIds!, h.DraftMinutes, viewer.UserId, now, rules.Value)
            : @case.ScheduleMeeting(request.Kind!.Value, startsAt, request.Location, request.InviteeUserIds!, viewer.UserId, now, rules.Value);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/cases/{id}/meetings/{meeting.Id}", MeetingView.From(meeting, now));
    }
}
