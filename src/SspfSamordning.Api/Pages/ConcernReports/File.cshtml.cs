using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.ConcernReports;
using SspfSamordning.Api.Features.Me;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Pages.ConcernReports;

/// <summary>
/// /orosanmalningar/ny: any professional files an orosanmälan — the API's <see cref="FileConcernReport"/> (policy
/// Reporter, the same checks and messages; a case id only when the person may see that case in that municipality).
/// From a case page the case travels in a hidden field: a tampered one is refused exactly as the API refuses it. Done,
/// socialtjänst lands on the report; anyone else on a receipt that says only that it was sent (the content is
/// socialtjänst's from the moment it is sent).
/// </summary>
[Authorize(Policy = Policies.Reporter)]
[AuditedPage(AuditFilter.ConcernReport)]
public sealed class FileModel(SspfDbContext db, IAuditContext audit, TimeProvider time, IOptions<CaseRules> rules) : PageModel
{
    [BindProperty] public Guid? MunicipalityId { get; set; }
    [BindProperty(SupportsGet = true, Name = "arende")] public Guid? CaseId { get; set; }
    /// <summary>The report's text (the form field and the API's field are both "content"; PageModel has a Content method).</summary>
    [BindProperty(Name = "Content")] public string? ReportContent { get; set; }
    [BindProperty] public string? ConcernsViolenceAgainstChild { get; set; }
    [BindProperty] public string? YouthName { get; set; }
    [BindProperty] public string? YouthPersonnummer { get; set; }
    [FromQuery(Name = "skickad")] public string? Sent { get; set; }

    public IReadOnlyList<GetMe.NamedRef> Municipalities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Municipalities = await GetMe.MunicipalitiesOfAsync(User, db, ct);
        MunicipalityId = Municipalities.Count == 1 ? Municipalities[0].Id : null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Municipalities = await GetMe.MunicipalitiesOfAsync(User, db, ct);
        // The case is not the person's to type: a hidden value that is no id is refused, never dropped (the API's 400).
        if (ModelState.TryGetValue("arende", out var tampered) && tampered.Errors.Count > 0)
        {
            ModelState.Clear();
            ModelState.AddModelError("", "Ärendet som anmälan skulle kopplas till kunde inte läsas. Gå tillbaka till ärendet och försök igen.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // A municipality that does not bind (a tampered id) is left empty: the use case then names the field in Swedish.
        ModelState.Clear();
        var request = new FileConcernReport.Request(MunicipalityId, ReportContent,
            ConcernsViolenceAgainstChild switch { "true" => true, "false" => false, _ => null }, YouthPersonnummer, YouthName, CaseId);
        IResult? answer = null;
        var (outcome, status) = await PageChange.RunAsync(async () => answer = (await FileConcernReport.Handle(request, User, db, audit, time, rules, ct)).Result,
            ModelState, db);
        switch (answer)
        {
            case Created<ConcernReportDetail> detail: return LocalRedirect($"/orosanmalningar/{detail.Value!.Id}");
            case Created<ConcernReportReceipt>: return LocalRedirect("/orosanmalningar/ny?skickad=1");
        }
        if (outcome == ChangeOutcome.Forbidden) return StatusCode(StatusCodes.Status403Forbidden);
        // The case came from the page the person was on (a hidden field): its refusal belongs to no field of the form.
        PageChange.Rename(ModelState, "", "CaseId");
        Response.StatusCode = status;
        return Page();
    }

    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
