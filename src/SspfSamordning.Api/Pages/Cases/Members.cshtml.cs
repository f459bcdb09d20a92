using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
public sealed class MembersModel(SspfDbContext db, TimeProvider time, IAuditContext audit) : PageModel
{
    public CaseDetail Case { get; private set; } = null!;
    public Dictionary<Guid, SearchStaff.StaffView> Staff { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "sok")] public string? Search { get; set; }
    [BindProperty] public Guid? UserId { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await ShowAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        var status = await CasePageAction.RunAsync(async () => (await CaseMembers.Add(id, new(UserId), User, db, time, ct)).Result, ModelState, db);
        if (status == StatusCodes.Status404NotFound) return NotFound();
        if (status < 400) return LocalRedirect($"/arenden/{id}/deltagare");
        if (!await ShowAsync(id, ct)) return NotFound();
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> ShowAsync(Guid id, CancellationToken ct)
    {
        if ((await GetCase.Handle(id, User, db, time, audit, ct)).Result is not Ok<CaseDetail> ok) return false;
        Case = ok.Value!;
        Staff = await CasePageAction.StaffAsync(User, db, ct, Search is { Length: > SearchStaff.MaxSearchLength } ? null : Search);
        return true;
    }
}
