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

    /// <summary>Changes are the coordinator's (the API's Coordinator policy); the use case decides the rest.</summary>
    private async Task<IActionResult> MeetingChangeAsync(Guid id, Guid meetingId, Func<Task<IResult>> change, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Coordinator)).Succeeded) return StatusCode(StatusCodes.Status403Forbidden);
        return await ChangeAsync(id, change, _ => $"/arenden/{id}/moten/{meetingId}", ct,
            () => PageChange.Rename(ModelState, nameof(UserIds), "AttendeeUserIds"));
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
