using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.Staff;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>
/// /arenden/{id}/deltagare: the case team — the API's <see cref="SearchStaff"/> to find people and <see cref="CaseMembers"/>
/// to add one (a disabled user, another municipality's or a role without case work is refused there, as over the API).
/// </summary>
[Authorize(Policy = Policies.Coordinator)]
[AuditedPage]
public sealed class MembersModel(SspfDbContext db, TimeProvider time, IAuditContext audit) : CasePageModel(db, time, audit)
{
    public Dictionary<Guid, SearchStaff.StaffView> Staff { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "sok")] public string? Search { get; set; }
    [BindProperty] public Guid? UserId { get; set; }

    /// <summary>"Ta bort" asks first: <c>?ta-bort={userId}</c> shows the confirmation, whose form posts the removal.</summary>
    [FromQuery(Name = "ta-bort")] public Guid? RemoveUserId { get; set; }

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, async () => (await CaseMembers.Add(id, new(UserId), User, Db, Time, ct)).Result, _ => $"/arenden/{id}/deltagare", ct);

    /// <summary>Removes a member after the confirmation (the API's <see cref="CaseMembers"/> removal; not a member: the 404 page).</summary>
    public Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, async () => (await CaseMembers.Remove(id, UserId ?? Guid.Empty, User, Db, Time, ct)).Result,
            _ => $"/arenden/{id}/deltagare?borttagen=1", ct);

    [FromQuery(Name = "borttagen")] public string? Removed { get; set; }

    protected override async Task<bool> ShowAsync(Guid id, CancellationToken ct)
    {
        if (!await base.ShowAsync(id, ct)) return false;
        Staff = await StaffAsync(ct, Search is { Length: > SearchStaff.MaxSearchLength } ? null : Search);
        return true;
    }
}
