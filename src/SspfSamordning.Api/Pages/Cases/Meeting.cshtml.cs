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

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>
/// /arenden/{id}/moten/{meetingId}: one meeting as the API's <see cref="GetMeeting"/> shows it (404 alike for an invisible
/// case, a case without the Basic category and another case's meeting id), and for the coordinator the API's changes:
/// hold it (<see cref="MeetingTransitions"/>), edit the draft minutes (<see cref="UpdateMinutes"/>), adopt the action
/// plan (<see cref="SetActionPlan"/>) and approve the minutes, after which the page is read-only. Printable (print CSS).
/// </summary>
[Authorize(Policy = Policies.CaseReader)]
[AuditedPage]
public sealed class MeetingModel(
    SspfDbContext db, TimeProvider time, IAuditContext audit, IOptions<CaseRules> rules, IAuthorizationService authorization)
    : CasePageModel(db, time, audit)
{
    public MeetingView Meeting { get; private set; } = null!;
    public Dictionary<Guid, SearchStaff.StaffView> Staff { get; private set; } = [];
    public bool CanChange { get; private set; }

    [BindProperty] public List<Guid> UserIds { get; set; } = [];
    [BindProperty] public bool YouthAttended { get; set; }
    [BindProperty] public List<Guid> GuardianIds { get; set; } = [];
    [BindProperty] public string? Minutes { get; set; }
    [BindProperty] public string? Goals { get; set; }
    [BindProperty] public string? NewDate { get; set; }
    [BindProperty] public string? NewTime { get; set; }
    [BindProperty] public string? Reason { get; set; }

    /// <summary>"Ställ in mötet" asks first: <c>?stall-in=1</c> shows the confirmation, whose form posts the cancellation.</summary>
    [FromQuery(Name = "stall-in")] public string? ConfirmCancel { get; set; }

    private Guid MeetingId => Guid.Parse((string)RouteData.Values["meetingId"]!);

    protected override void Prefill()
    {
        Minutes = Meeting.Minutes;
        Goals = Case.ActionPlan?.Goals;
    }

    public Task<IActionResult> OnPostHoldAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        MeetingChangeAsync(id, meetingId, async () => (await MeetingTransitions.Handle(id, meetingId,
            new("Hold", UserIds, YouthAttended, GuardianIds, string.IsNullOrWhiteSpace(Minutes) ? null : Minutes, null, null),
            User, Db, Time, rules, ct)).Result, ct);

    public Task<IActionResult> OnPostMinutesAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        MeetingChangeAsync(id, meetingId, async () => (await UpdateMinutes.Handle(id, meetingId, new(Minutes), User, Db, Time, ct)).Result, ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        MeetingChangeAsync(id, meetingId, async () => (await MeetingTransitions.Handle(id, meetingId,
            new("ApproveMinutes", null, null, null, null, null, null), User, Db, Time, rules, ct)).Result, ct);

    public Task<IActionResult> OnPostActionPlanAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        MeetingChangeAsync(id, meetingId, async () => (await SetActionPlan.Handle(id, new(meetingId, Goals), User, Db, Time, rules, ct)).Result, ct);

    /// <summary>Moves a booked meeting to a new time (the API's Reschedule with a time: Scheduled again at once).</summary>
    public async Task<IActionResult> OnPostRescheduleAsync(Guid id, Guid meetingId, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Coordinator)).Succeeded) return StatusCode(StatusCodes.Status403Forbidden);
        ModelState.Clear();
        var startsAt = NewMeetingModel.ParseLocal(ModelState, NewDate, NewTime, nameof(NewDate), nameof(NewTime));
        if (ModelState.IsValid && startsAt is null) ModelState.AddModelError(nameof(NewDate), "Ange mötets nya datum och tid.");
        if (!ModelState.IsValid) return await AgainAsync(id, StatusCodes.Status400BadRequest, ct);
        return await MeetingChangeAsync(id, meetingId, async () => (await MeetingTransitions.Handle(id, meetingId,
            new("Reschedule", null, null, null, null, string.IsNullOrWhiteSpace(Reason) ? null : Reason, startsAt), User, Db, Time, rules, ct)).Result, ct,
            () => PageChange.Rename(ModelState, nameof(NewDate), "StartsAt"));
    }

    /// <summary>Cancels a booked meeting, after the confirmation step (the API's Cancel, with the optional reason).</summary>
    public Task<IActionResult> OnPostCancelAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        MeetingChangeAsync(id, meetingId, async () => (await MeetingTransitions.Handle(id, meetingId,
            new("Cancel", null, null, null, null, string.IsNullOrWhiteSpace(Reason) ? null : Reason, null), User, Db, Time, rules, ct)).Result, ct,
            () => ConfirmCancel = "1");

    /// <summary>Changes are the coordinator's (the API's Coordinator policy); the use case decides the rest.</summary>
    private async Task<IActionResult> MeetingChangeAsync(Guid id, Guid meetingId, Func<Task<IResult>> change, CancellationToken ct,
        Action? onRefusal = null)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Coordinator)).Succeeded) return StatusCode(StatusCodes.Status403Forbidden);
        return await ChangeAsync(id, change, _ => $"/arenden/{id}/moten/{meetingId}", ct,
            onRefusal ?? (() => PageChange.Rename(ModelState, nameof(UserIds), "AttendeeUserIds")));
    }

    /// <summary>The case, then the meeting as the API's <see cref="GetMeeting"/> answers it: another case's meeting id is 404.</summary>
    protected override async Task<bool> ShowAsync(Guid id, CancellationToken ct)
    {
        if (!await base.ShowAsync(id, ct)) return false;
        if ((await GetMeeting.Handle(id, MeetingId, User, Db, Time, ct)).Result is not Ok<MeetingView> meeting) return false;
        Meeting = meeting.Value!;
        Staff = await StaffAsync(ct);
        CanChange = (await authorization.AuthorizeAsync(User, Policies.Coordinator)).Succeeded;
        return true;
    }

    public string NameOf(Guid userId) =>
        Staff.TryGetValue(userId, out var s) ? s.DisplayName
        : Case.Members.FirstOrDefault(m => m.UserId == userId) is { } member ? member.Party.SwedishName() : "Tidigare deltagare";
}
