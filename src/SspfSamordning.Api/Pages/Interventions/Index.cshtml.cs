using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Interventions;

/// <summary>
/// /arenden/{id}/insatser: the insatser of the categories shared with the person — the case as <see cref="GetCase"/>
/// shows it (same projection and Read event) — and, for the samordnare only (the API's Coordinator policy), a new insats
/// through <see cref="ProposeIntervention"/>. The bistånd decision reference is never proposed: socialtjänst records it
/// afterwards on the insats's page.
/// </summary>
[Authorize(Policy = Policies.CaseReader)]
[AuditedPage]
public sealed class IndexModel(SspfDbContext db, TimeProvider time, IAuditContext audit) : PageModel
{
    public CaseDetail Case { get; private set; } = null!;
    public IReadOnlyList<InterventionView> Interventions { get; private set; } = [];
    public bool MayPropose { get; private set; }

    [BindProperty] public string? Type { get; set; }
    [BindProperty] public string? OwnerParty { get; set; }
    [BindProperty] public string? ResponsibleUserId { get; set; }
    [BindProperty] public string? Goal { get; set; }
    [BindProperty] public string? StartDate { get; set; }
    [BindProperty] public string? PlannedEndDate { get; set; }
    [BindProperty] public string? IsBistand { get; set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => ShowAsync(id, ct);

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await this.AllowsAsync(Policies.Coordinator)) return StatusCode(StatusCodes.Status403Forbidden);
        var start = PageChange.Date(ModelState, StartDate, nameof(StartDate));
        var end = PageChange.Date(ModelState, PlannedEndDate, nameof(PlannedEndDate));
        if (!ModelState.IsValid) return await ShowAsync(id, ct);
        var request = new ProposeIntervention.Request(PageChange.Choice<InterventionType>(Type), PageChange.Choice<Party>(OwnerParty),
            Guid.TryParse(ResponsibleUserId, out var responsible) ? responsible : null, Goal, start, end, IsBistand == "true", DecisionReference: null);
        Guid? created = null;
        return await this.ChangeAsync(async () =>
        {
            var result = (await ProposeIntervention.Handle(id, request, User, db, time, ct)).Result;
            if (result is Created<InterventionView> c) created = c.Value!.Id;
            return result;
        }, () => $"/arenden/{id}/insatser/{created}?sparat=1", () => ShowAsync(id, ct));
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken ct)
    {
        var result = await GetCase.Handle(id, User, db, time, audit, ct);
        if (result.Result is not Ok<CaseDetail> { Value.Interventions: { } interventions } ok) return NotFound();
        Case = ok.Value;
        Interventions = interventions;
        MayPropose = await this.AllowsAsync(Policies.Coordinator);
        return Page();
    }

}
