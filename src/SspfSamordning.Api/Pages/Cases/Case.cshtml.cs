using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>
/// /arenden/{id}: the case as the person may see it — the API's <see cref="GetCase"/> (same visibility, same category
/// projection, same Read or Refused event). Not visible answers the one 404 page, the same for an id that never existed.
/// </summary>
[Authorize(Policy = Policies.CaseReader)]
[AuditedPage]
public sealed class CaseModel(SspfDbContext db, TimeProvider time, IAuditContext audit) : PageModel
{
    public CaseDetail Case { get; private set; } = null!;

    /// <summary>The case's timeline as the API's <see cref="CaseHistory"/> shows it to this person (first page, oldest first).</summary>
    public IReadOnlyList<CaseHistory.EventView> History { get; private set; } = [];

    /// <summary>The last day information is shared under a valid consent, if any is valid.</summary>
    public DateTimeOffset? SharedUntil =>
        Case.Consents?.Where(c => c.State == ConsentState.Valid && c.ValidTo is not null).Max(c => c.ValidTo);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        // One read of the case (visibility, the Read event, the projection), and its history from the same aggregate:
        // the page once read the whole case a second time for the history (bench/results/pages.md).
        if (await GetCase.ReadAsync(id, User, db, time, audit, ct) is not { } read) return NotFound();
        Case = read.Detail;
        History = (await CaseHistory.OfReadAsync(read, db, ct, pageSize: 100)).Items;
        return Page();
    }
}
