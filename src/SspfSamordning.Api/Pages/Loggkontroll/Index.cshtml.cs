using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Audit;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Retention;

namespace SspfSamordning.Api.Pages.Loggkontroll;

/// <summary>
/// /loggkontroll (Granskare): the access log of the Granskare's municipalities by case, user and period — the API's
/// <see cref="AuditEndpoints.ListEvents"/> — and "Verifiera loggen" (<see cref="AuditEndpoints.Verify"/>), each query
/// logged as the API logs it (<see cref="AuditQueryFilter"/>: an AuditQuery event with the filter).
/// </summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class IndexModel(SspfDbContext db, TimeProvider time, IOptions<RetentionOptions> retention) : PageModel
{
    [BindProperty(SupportsGet = true, Name = AuditForm.Case)] public string? CaseId { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.User)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.From)] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.To)] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.PageNumber)] public int? PageNumber { get; set; }

    public PagedList<AuditEndpoints.EventView>? Events { get; private set; }
    public AuditVerification? Verification { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var caseId = AuditForm.Id(ModelState, AuditForm.Case, CaseId, "Ange ärendets id som ett GUID, till exempel 0193a1b2-…, eller lämna fältet tomt.");
        var userId = AuditForm.Id(ModelState, AuditForm.User, UserId, "Ange användarens id som ett GUID, eller lämna fältet tomt.");
        var (from, to) = AuditForm.Period(ModelState, From, To);
        var page = AuditForm.Page(ModelState, PageNumber);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Events = (await AuditEndpoints.ListEvents(db, User, ct, caseId, userId, from, to, page)).Value;
        await AuditQueryFilter.AppendAsync(HttpContext, Request.Path, AuditForm.Filter(caseId, userId, from, to, page));
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        var result = await AuditEndpoints.Verify(db, time, retention, ct);
        Verification = ((Ok<AuditVerification>)result.Result).Value;
        await AuditQueryFilter.AppendAsync(HttpContext, Request.Path, [("handler", "Verify")]);
        return Page();
    }

    public string PageLink(int page) => Url.Page("/Loggkontroll/Index", new Dictionary<string, object?>
    {
        [AuditForm.Case] = CaseId, [AuditForm.User] = UserId, [AuditForm.From] = From, [AuditForm.To] = To, [AuditForm.PageNumber] = page,
    })!;
}
