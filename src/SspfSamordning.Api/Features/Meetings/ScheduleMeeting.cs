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
/// </summary>
public static class ScheduleMeeting
{
    public sealed record Request(MeetingKind? Kind, DateTimeOffset? StartsAt, string? Location, IReadOnlyList<Guid>? InviteeUserIds);

    public static void Map(RouteGroupBuilder cases) =>
        cases.MapPost("/{id:guid}/meetings", Handle).RequireAuthorization(Policies.Coordinator);

    private static async Task<Results<Created<MeetingView>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is null) errors["kind"] = ["Ange mötestyp: Mapping eller Network."];
        if (request.StartsAt is null) errors["startsAt"] = ["Ange när mötet börjar."];
        if (request.InviteeUserIds is null) errors["inviteeUserIds"] = ["Ange de inbjudna (en tom lista om inga)."];
        if (errors.Count > 0) return Problems.Validation(errors);

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await CaseSection.ChangeAsync(db, id, viewer, now, ct);
        if (@case is null) return Problems.NotFound();
        var meeting = @case.ScheduleMeeting(request.Kind!.Value, request.StartsAt!.Value.ToUniversalTime(), request.Location,
            request.InviteeUserIds!, viewer.UserId, now, rules.Value);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/cases/{id}/meetings/{meeting.Id}", MeetingView.From(meeting, now));
    }
}
