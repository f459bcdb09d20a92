using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>/arenden: the cases the person may see — the API's <see cref="ListCases"/> (same visibility filter, same List events).</summary>
[Authorize(Policy = Policies.CaseReader)]
[AuditedPage]
public sealed class IndexModel(SspfDbContext db, TimeProvider time, IAuditContext audit, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "sida")] public int? PageNumber { get; set; }
    public PagedList<CaseSummary> Cases { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Cases = (await ListCases.Handle(User, db, time, audit, configuration, ct, page: ListPager.Requested(PageNumber))).Value!;
        return Page();
    }
}
