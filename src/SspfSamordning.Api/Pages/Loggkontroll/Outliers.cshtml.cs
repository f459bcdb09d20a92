using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Audit;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Loggkontroll;

/// <summary>/loggkontroll/ovanlig-volym (Granskare): the API's <see cref="VolumeOutliers"/> report, logged as the API logs it.</summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class OutliersModel(SspfDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = AuditForm.From)] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.To)] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.PageNumber)] public int? PageNumber { get; set; }

    public PagedList<VolumeOutliers.Outlier>? Outliers { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (from, to) = AuditForm.Period(ModelState, From, To);
        var page = AuditForm.Page(ModelState, PageNumber);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Outliers = (await VolumeOutliers.Handle(db, User, time, ct, from, to, page)).Value;
        await AuditQueryFilter.AppendAsync(HttpContext, Request.Path, AuditForm.Filter(null, null, from, to, page));
        return Page();
    }

    public string PageLink(int page) => Url.Page("/Loggkontroll/Outliers", new Dictionary<string, object?>
    {
        [AuditForm.From] = From, [AuditForm.To] = To, [AuditForm.PageNumber] = page,
    })!;
}
