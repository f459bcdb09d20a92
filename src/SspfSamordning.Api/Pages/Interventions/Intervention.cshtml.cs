using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Interventions;

/// <summary>
/// /arenden/{id}/insatser/{interventionId}: one insats as <see cref="GetIntervention"/> shows it (404 unless its category
/// is shared), its next step through <see cref="InterventionTransitions"/> (the samordnare or a member of the owning
/// party; others 403, as the API) and the bistånd decision reference through <see cref="SetDecisionReference"/> — for the
/// socialsekreterare only (the API's SocialServices policy; anyone else 403).
/// </summary>
[Authorize(Policy = Policies.CaseReader)]
[AuditedPage]
public sealed class InterventionModel(SspfDbContext db, TimeProvider time) : PageModel
{
    public InterventionView Intervention { get; private set; } = null!;
    public Guid CaseId { get; private set; }
    public bool MayRecordDecision { get; private set; }
    [FromQuery(Name = "sparat")] public string? Saved { get; set; }

    [BindProperty] public string? Trigger { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? OutcomeComment { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? DecisionReference { get; set; }

    public Task<IActionResult> OnGetAsync(Guid id, Guid interventionId, CancellationToken ct) => ShowAsync(id, interventionId, ct);

    public Task<IActionResult> OnPostTransitionAsync(Guid id, Guid interventionId, CancellationToken ct)
    {
        var request = new InterventionTransitions.Request(PageChange.Choice<InterventionTrigger>(Trigger), PageChange.Choice<InterventionOutcome>(Outcome),
            OutcomeComment, Reason);
        return ChangeAsync(id, interventionId, async () => (await InterventionTransitions.Handle(id, interventionId, request, User, db, time, ct)).Result, ct);
    }

    public async Task<IActionResult> OnPostDecisionAsync(Guid id, Guid interventionId, CancellationToken ct)
    {
        if (!await this.AllowsAsync(Policies.SocialServices)) return StatusCode(StatusCodes.Status403Forbidden);
        var request = new SetDecisionReference.Request(DecisionReference);
        return await ChangeAsync(id, interventionId, async () => (await SetDecisionReference.Handle(id, interventionId, request, User, db, time, ct)).Result, ct);
    }

    private Task<IActionResult> ChangeAsync(Guid id, Guid interventionId, Func<Task<IResult>> change, CancellationToken ct) =>
        this.ChangeAsync(change, () => $"/arenden/{id}/insatser/{interventionId}?sparat=1", () => ShowAsync(id, interventionId, ct));

    private async Task<IActionResult> ShowAsync(Guid id, Guid interventionId, CancellationToken ct)
    {
        var result = await GetIntervention.Handle(id, interventionId, User, db, time, ct);
        if (result.Result is not Ok<InterventionView> ok) return NotFound();
        Intervention = ok.Value!;
        CaseId = id;
        MayRecordDecision = await this.AllowsAsync(Policies.SocialServices);
        return Page();
    }
}
