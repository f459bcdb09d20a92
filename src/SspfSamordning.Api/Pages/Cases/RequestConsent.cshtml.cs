using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>/arenden/{id}/begar-samtycke: the coordinator requests consent for a scope — the API's <see cref="Features.Consents.RequestConsent"/>.</summary>
[Authorize(Policy = Policies.Coordinator)]
[AuditedPage]
public sealed class RequestConsentModel(SspfDbContext db, TimeProvider time, IAuditContext audit, IOptions<CaseRules> rules) : PageModel
{
    /// <summary>What a consent can share (socialtjänst's internal information never is).</summary>
    public static readonly IReadOnlyList<InformationCategory> Shareable =
        [InformationCategory.Basic, InformationCategory.School, InformationCategory.SocialServicesSspfNotes, InformationCategory.Police];

    public CaseDetail Case { get; private set; } = null!;
    [BindProperty] public List<Party> Parties { get; set; } = [];
    [BindProperty] public List<InformationCategory> Categories { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await ShowAsync(id, ct)) return NotFound();
        Parties = [.. Case.ProposedParties];
        Categories = [InformationCategory.Basic];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        ModelState.Clear();
        var status = await CasePageAction.RunAsync(
            async () => (await Features.Consents.RequestConsent.Handle(id, new(Parties, Categories), User, db, time, rules, ct)).Result, ModelState, db);
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
