using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Audit;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Loggkontroll;

/// <summary>/loggkontroll/utanfor-teamet (Granskare): the API's <see cref="NonMemberAccess"/> report, logged as the API logs it.</summary>
[Authorize(Policy = Policies.Auditor)]
public sealed class NonMembersModel(SspfDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = AuditForm.From)] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.To)] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = AuditForm.PageNumber)] public int? PageNumber { get; set; }

    public PagedList<AuditEndpoints.EventView>? Events { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (from, to) = AuditForm.Period(ModelState, From, To);
        var page = AuditForm.Page(ModelState, PageNumber);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Events = (await NonMemberAccess.Handle(db, User, ct, from, to, page)).Value;
        await AuditQueryFilter.AppendAsync(HttpContext, Request.Path, AuditForm.Filter(null, null, from, to, page));
        return Page();
    }

    public string PageLink(int page) => Url.Page("/Loggkontroll/NonMembers", new Dictionary<string, object?>
    {
        [AuditForm.From] = From, [AuditForm.To] = To, [AuditForm.PageNumber] = page,
    })!;
}
