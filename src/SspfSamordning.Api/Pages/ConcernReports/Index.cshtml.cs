using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.ConcernReports;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;

namespace SspfSamordning.Api.Pages.ConcernReports;

/// <summary>
/// /orosanmalningar: the socialsekreterare's queue — the API's <see cref="ListConcernReports"/> (socialtjänst of the
/// report's municipality only, the same List event per report shown), each report with its open statutory deadlines
/// as dates and days left (read in the list's own query).
/// </summary>
[Authorize(Policy = Policies.SocialServices)]
[AuditedPage(AuditFilter.ConcernReport)]
public sealed class IndexModel(SspfDbContext db, IAuditContext audit, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "sida")] public int? PageNumber { get; set; }
    public PagedList<ConcernReportSummary> Reports { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Reports = (await ListConcernReports.Handle(User, db, audit, ct, page: ListPager.Requested(PageNumber))).Value!;
        Now = time.GetUtcNow();
        return Page();
    }
}
