using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>/arenden/{id}/avsluta: the coordinator closes the case with a reason — the API's <see cref="CaseTransitions"/> (Close).</summary>
[Authorize(Policy = Policies.Coordinator)]
[AuditedPage]
public sealed class CloseModel(SspfDbContext db, BlindIndex index, TimeProvider time, IAuditContext audit, IOptions<CaseRules> rules) : PageModel
{
    public CaseDetail Case { get; private set; } = null!;
    [BindProperty] public CloseReason? CloseReason { get; set; }
    [BindProperty] public string? CloseComment { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await ShowAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        var request = new CaseTransitions.Request(CaseTrigger.Close, CloseReason, string.IsNullOrWhiteSpace(CloseComment) ? null : CloseComment, null);
        var status = await CasePageAction.RunAsync(async () => (await CaseTransitions.Handle(id, request, User, db, index, time, rules, ct)).Result, ModelState, db);
        if (status == StatusCodes.Status404NotFound) return NotFound();
        if (status < 400) return LocalRedirect($"/arenden/{id}");
        if (!await ShowAsync(id, ct)) return NotFound();
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> ShowAsync(Guid id, CancellationToken ct)
    {
        if ((await GetCase.Handle(id, User, db, time, audit, ct)).Result is not Ok<CaseDetail> ok) return false;
        Case = ok.Value!;
        return true;
    }

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
