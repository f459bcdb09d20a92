using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Pages.Loggkontroll;

/// <summary>
/// A loggkontroll report over a period (from, to, page: the _PeriodFilter form): the filter is parsed with Swedish
/// messages (a bad one answers 400 and queries nothing), the report is the API's handler, and the query is logged as the
/// API logs it.
/// </summary>
public abstract class PeriodReportModel<T> : PageModel
{
    [BindProperty(SupportsGet = true, Name = AuditForm.From)] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.To)] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.PageNumber)] public int? PageNumber { get; set; }

    public PagedList<T>? Report { get; private set; }

    protected abstract string PageName { get; }

    protected abstract Task<PagedList<T>> QueryAsync(DateTimeOffset? from, DateTimeOffset? to, int? page, CancellationToken ct);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (from, to) = AuditForm.Period(ModelState, From, To);
        var page = AuditForm.Page(ModelState, PageNumber);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Report = await QueryAsync(from, to, page, ct);
        await AuditQueryFilter.AppendAsync(HttpContext, Request.Path, AuditForm.Filter(null, null, from, to, page));
        return Page();
    }

    public string PageLink(int page) => Url.Page(PageName, new Dictionary<string, object?>
    {
        [AuditForm.From] = From, [AuditForm.To] = To, [AuditForm.PageNumber] = page,
    })!;
}
