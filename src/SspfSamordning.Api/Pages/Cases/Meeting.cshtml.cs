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
    SspfDbContext db, TimeProvider time, IAuditContext audit, IOptions<CaseRules> rules, IAuthorizationService authorization) : PageModel
{
    public CaseDetail Case { get; private set; } = null!;
    public MeetingView Meeting { get; private set; } = null!;
    public Dictionary<Guid, SearchStaff.StaffView> Staff { get; private set; } = [];
    public bool CanChange { get; private set; }

    [BindProperty] public List<Guid> UserIds { get; set; } = [];
    [BindProperty] public bool YouthAttended { get; set; }
    [BindProperty] public List<Guid> GuardianIds { get; set; } = [];
    [BindProperty] public string? Minutes { get; set; }
    [BindProperty] public string? Goals { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, Guid meetingId, CancellationToken ct)
    {
        if (!await ShowAsync(id, meetingId, ct)) return NotFound();
        Minutes = Meeting.Minutes;
        Goals = Case.ActionPlan?.Goals;
        return Page();
    }

    public Task<IActionResult> OnPostHoldAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        ChangeAsync(id, meetingId, async () => (await MeetingTransitions.Handle(id, meetingId,
            new("Hold", UserIds, YouthAttended, GuardianIds, string.IsNullOrWhiteSpace(Minutes) ? null : Minutes, null, null),
            User, db, time, rules, ct)).Result, ct);

    public Task<IActionResult> OnPostMinutesAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        ChangeAsync(id, meetingId, async () => (await UpdateMinutes.Handle(id, meetingId, new(Minutes), User, db, time, ct)).Result, ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        ChangeAsync(id, meetingId, async () => (await MeetingTransitions.Handle(id, meetingId,
            new("ApproveMinutes", null, null, null, null, null, null), User, db, time, rules, ct)).Result, ct);

    public Task<IActionResult> OnPostActionPlanAsync(Guid id, Guid meetingId, CancellationToken ct) =>
        ChangeAsync(id, meetingId, async () => (await SetActionPlan.Handle(id, new(meetingId, Goals), User, db, time, rules, ct)).Result, ct);

    /// <summary>Changes are the coordinator's (the API's Coordinator policy); the use case decides the rest.</summary>
    private async Task<IActionResult> ChangeAsync(Guid id, Guid meetingId, Func<Task<IResult>> change, CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, Policies.Coordinator)).Succeeded) return StatusCode(StatusCodes.Status403Forbidden);
        ModelState.Clear();
        var status = await CasePageAction.RunAsync(change, ModelState, db);
        if (status == StatusCodes.Status404NotFound) return NotFound();
        if (status < 400) return LocalRedirect($"/arenden/{id}/moten/{meetingId}");
        ModelState.MoveErrors(nameof(UserIds), "AttendeeUserIds");
        if (!await ShowAsync(id, meetingId, ct)) return NotFound();
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> ShowAsync(Guid id, Guid meetingId, CancellationToken ct)
    {
        if ((await GetCase.Handle(id, User, db, time, audit, ct)).Result is not Ok<CaseDetail> ok) return false;
        if ((await GetMeeting.Handle(id, meetingId, User, db, time, ct)).Result is not Ok<MeetingView> meeting) return false;
        Case = ok.Value!;
        Meeting = meeting.Value!;
        Staff = await CasePageAction.StaffAsync(User, db, ct);
        CanChange = (await authorization.AuthorizeAsync(User, Policies.Coordinator)).Succeeded;
        return true;
    }

    public string NameOf(Guid userId) =>
        Staff.TryGetValue(userId, out var s) ? s.DisplayName
        : Case.Members.FirstOrDefault(m => m.UserId == userId) is { } member ? member.Party.SwedishName() : "Tidigare deltagare";

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
