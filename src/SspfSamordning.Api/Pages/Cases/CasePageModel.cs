using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.Staff;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>
/// A page under /arenden/{id}/…: shows the case as the API's <see cref="GetCase"/> does (same visibility, same Read
/// event; a case the person may not see is the one 404 page) and posts one change through a use case
/// (<see cref="PageChange"/>): done → back to <c>done</c>'s address, refused → the page again with the messages.
/// </summary>
public abstract class CasePageModel(SspfDbContext db, TimeProvider time, IAuditContext audit) : PageModel
{
    protected SspfDbContext Db => db;
    protected TimeProvider Time => time;

    public CaseDetail Case { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await ShowAsync(id, ct)) return NotFound();
        Prefill();
        return Page();
    }

    /// <summary>What the form shows before anything was typed.</summary>
    protected virtual void Prefill()
    {
    }

    /// <summary>Loads what the page shows; false (404) when the person may not see it.</summary>
    protected virtual async Task<bool> ShowAsync(Guid id, CancellationToken ct)
    {
        if ((await GetCase.Handle(id, User, db, time, audit, ct)).Result is not Ok<CaseDetail> ok) return false;
        Case = ok.Value!;
        return true;
    }

    /// <summary>Runs the change (binding errors are dropped first: the use case names a missing or foreign value itself).</summary>
    protected async Task<IActionResult> ChangeAsync(Guid id, Func<Task<IResult>> change, Func<IResult, string> done, CancellationToken ct,
        Action? onRefusal = null)
    {
        ModelState.Clear();
        IResult? answer = null;
        var (outcome, status) = await PageChange.RunAsync(async () => answer = await change(), ModelState, db);
        switch (outcome)
        {
            case ChangeOutcome.NotFound: return NotFound();
            case ChangeOutcome.Forbidden: return StatusCode(StatusCodes.Status403Forbidden);
            case ChangeOutcome.Done: return LocalRedirect(done(answer!));
        }
        onRefusal?.Invoke();
        return await AgainAsync(id, status, ct);
    }

    /// <summary>The page again with its messages and the use case's status (400 or 409).</summary>
    protected async Task<IActionResult> AgainAsync(Guid id, int status, CancellationToken ct)
    {
        if (!await ShowAsync(id, ct)) return NotFound();
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Names of the staff the person may see (the API's staff directory), to show members and invitees by name.</summary>
    protected async Task<Dictionary<Guid, SearchStaff.StaffView>> StaffAsync(CancellationToken ct, string? search = null) =>
        (await SearchStaff.Handle(User, db, ct, search, null, 1, 100)).Result is Ok<PagedList<SearchStaff.StaffView>> ok
            ? ok.Value!.Items.ToDictionary(s => s.Id)
            : [];

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
