using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Admin;
using SspfSamordning.Api.Features.Reminders;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Administration;

/// <summary>
/// /administration (Administratör): the reminder queue (<see cref="ReminderQueue"/>), the pending four-eyes role changes
/// (<see cref="ListRoleGrants"/>, approved or rejected through <see cref="DecideRoleGrant"/>) and the accounts this
/// administrator manages (<see cref="ListUsers"/>) — the API's use cases, the API's rules (the requester never approves).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, SessionStore tokens, TimeProvider time,
    IOptions<ReminderOptions> reminderOptions) : AdminPage
{
    [BindProperty(SupportsGet = true, Name = "sida")] public int? PageNumber { get; set; }
    /// <summary>The grant decided on: posted by the form of its row (a foreign or made-up id answers 404, as the API).</summary>
    [BindProperty] public Guid? GrantId { get; set; }

    public ReminderQueue.Counts Reminders { get; private set; } = null!;
    public PagedList<RoleGrant.View> Grants { get; private set; } = null!;
    public PagedList<ListUsers.UserView> Accounts { get; private set; } = null!;
    public Guid Me => User.UserId();

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) => DecideAsync(approve: true, ct);

    public Task<IActionResult> OnPostRejectAsync(CancellationToken ct) => DecideAsync(approve: false, ct);

    private async Task<IActionResult> DecideAsync(bool approve, CancellationToken ct)
    {
        if (GrantId is not { } id) return NotFound();
        var result = approve
            ? await DecideRoleGrant.Approve(id, User, db, users, audit, tokens, time, ct)
            : await DecideRoleGrant.Reject(id, User, db, users, audit, tokens, time, ct);
        if (result.Result is Ok<RoleGrant.View>) return LocalRedirect("/administration?meddelande=" + (approve ? "godkant" : "avslaget"));
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Refused(result.Result);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var page = ListPager.Requested(PageNumber);
        Reminders = (await ReminderQueue.Handle(db, time, reminderOptions, ct)).Value!;
        Grants = (await ListRoleGrants.Handle(null, Paging.MaxPageSize, User, db, ct)).Value!;
        Accounts = (await ListUsers.List(page, null, User, db, ct)).Value!;
    }

    public string PageLink(int page) => "/administration?sida=" + page;
}
