using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.ConcernReports;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Pages.ConcernReports;

/// <summary>
/// /orosanmalningar/{id}: one orosanmälan with its open statutory deadlines (dates and days left) — the API's
/// <see cref="GetConcernReport"/> — and its next step through <see cref="ConcernReportTransitions"/>: a report of another
/// municipality is the one 404 page, a step the workflow does not allow now is the domain's 409 message on the form.
/// </summary>
[Authorize(Policy = Policies.SocialServices)]
[AuditedPage(AuditFilter.ConcernReport)]
public sealed class ReportModel(SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules) : PageModel
{
    public ConcernReportDetail Report { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }
    [FromQuery(Name = "sparat")] public string? Saved { get; set; }

    [BindProperty] public string? Trigger { get; set; }
    [BindProperty] public string? Assessment { get; set; }
    [BindProperty] public string? ImmediateProtectionNeeded { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? NewDueAt { get; set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => ShowAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var dueDate = PageChange.Date(ModelState, NewDueAt, nameof(NewDueAt));
        if (!ModelState.IsValid) return await ShowAsync(id, ct);
        var request = new ConcernReportTransitions.Request(PageChange.Choice<ConcernReportTrigger>(Trigger),
            Assessment, ImmediateProtectionNeeded switch { "true" => true, "false" => false, _ => null }, Reason,
            dueDate is { } date ? SwedishCalendar.EndOfDay(date) : null);
        return await this.ChangeAsync(async () => (await ConcernReportTransitions.Handle(id, request, User, db, time, rules, ct)).Result,
            () => $"/orosanmalningar/{id}?sparat=1", () => ShowAsync(id, ct));
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var result = await GetConcernReport.Handle(id, User, db, ct);
        if (result.Result is not Ok<ConcernReportDetail> ok) return NotFound();
        Report = ok.Value!;
        Now = time.GetUtcNow();
        return Page();
    }
}
