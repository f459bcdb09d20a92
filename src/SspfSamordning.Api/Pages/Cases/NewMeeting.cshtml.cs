using Microsoft.AspNetCore.Mvc.ModelBinding;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.Meetings;
using SspfSamordning.Api.Features.Staff;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>
/// /arenden/{id}/moten/nytt: the coordinator books a meeting, or records one that already took place — the API's
/// <see cref="ScheduleMeeting"/> (invitees must be members the consent in force covers; a network meeting needs an
/// active case). Date and time are Swedish local time (Europe/Stockholm).
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
[AuditedPage]
public sealed class NewMeetingModel(SspfDbContext db, TimeProvider time, IAuditContext audit, IOptions<CaseRules> rules)
    : CasePageModel(db, time, audit)
{
    public Dictionary<Guid, SearchStaff.StaffView> Staff { get; private set; } = [];

    [BindProperty] public MeetingKind? Kind { get; set; }
    [BindProperty] public string? StartsAt { get; set; }
    [BindProperty] public string? StartsTime { get; set; }
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public List<Guid> UserIds { get; set; } = [];
    [BindProperty] public bool AlreadyHeld { get; set; }
    [BindProperty] public bool YouthAttended { get; set; }
    [BindProperty] public List<Guid> GuardianIds { get; set; } = [];
    [BindProperty] public string? DraftMinutes { get; set; }

    protected override void Prefill() => Kind = MeetingKind.Mapping;

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        var startsAt = ParseLocal(ModelState, StartsAt, StartsTime, nameof(StartsAt), nameof(StartsTime));
        if (!ModelState.IsValid) return await AgainAsync(id, StatusCodes.Status400BadRequest, ct);
        var request = new ScheduleMeeting.Request(Kind, startsAt, Location, AlreadyHeld ? null : UserIds,
            AlreadyHeld ? new ScheduleMeeting.HeldInput(UserIds, YouthAttended, GuardianIds, DraftMinutes) : null);
        return await ChangeAsync(id, async () => (await ScheduleMeeting.Handle(id, request, User, Db, Time, rules, ct)).Result,
            created => $"/arenden/{id}/moten/{((Created<MeetingView>)created).Value!.Id}", ct,
            // The use case's names for who took part: the form has one list of people for both.
            () => PageChange.Rename(ModelState, nameof(UserIds), "InviteeUserIds", "Held.attendeeUserIds"));
    }

    /// <summary>
    /// A date (2026-12-04) and a time (14:30) in Swedish local time; a malformed one is the form's own message by
    /// <paramref name="dateField"/> or <paramref name="timeField"/>. Also the meeting page's new time (moving a meeting).
    /// </summary>
    internal static DateTimeOffset? ParseLocal(ModelStateDictionary modelState, string? date, string? clock, string dateField, string timeField)
    {
        if (string.IsNullOrWhiteSpace(date) || string.IsNullOrWhiteSpace(clock)) return null; // the use case says what is missing
        if (!DateOnly.TryParseExact(date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            modelState.AddModelError(dateField, "Ange datum som 2026-12-04.");
            return null;
        }
        if (!TimeOnly.TryParseExact(clock.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            modelState.AddModelError(timeField, "Ange tid som 14:30.");
            return null;
        }
        var local = day.ToDateTime(at, DateTimeKind.Unspecified);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, SwedishCalendar.TimeZone), TimeSpan.Zero);
    }

    protected override async Task<bool> ShowAsync(Guid id, CancellationToken ct)
    {
        if (!await base.ShowAsync(id, ct)) return false;
        Staff = await StaffAsync(ct);
        return true;
    }
}
