using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SspfSamordning.Api.Features.FollowUps;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Api.Pages.Cases;
using Microsoft.Extensions.Options;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.FollowUps;

/// <summary>
/// /arenden/{id}/uppfoljningar/{followUpId}: one follow-up as the API's <see cref="GetFollowUp"/> shows it (404 alike for
/// an invisible case, a case without the Basic category and another case's follow-up id), each insats the person sees
/// with its recorded assessment, and — while the follow-up is Scheduled or Overdue — a form per insats the person may
/// assess (decision 11: a member of the owning party or the responsible person), posted through
/// <see cref="RecordAssessment"/>. The insats's id is a hidden field: a tampered or foreign one is the API's 404/403.
/// The samordnare (the API's Coordinator policy) completes it here through the API's <see cref="FollowUpTransitions"/>
/// (decision 9/11): a text per Planned or Ongoing insats, prefilled with what its party recorded, and the overall
/// assessment; an insats id in the form that is not the case's is the API's 400, a follow-up no longer open its 409.
/// </summary>
[Authorize(Policy = Policies.CaseReader)]
[AuditedPage]
public sealed class FollowUpModel(SspfDbContext db, TimeProvider time, IAuditContext audit) : CasePageModel(db, time, audit)
{
    public FollowUpView FollowUp { get; private set; } = null!;
    [FromQuery(Name = "sparat")] public string? Saved { get; set; }

    [BindProperty] public Guid? InterventionId { get; set; }
    [BindProperty] public string? Assessment { get; set; }
    /// <summary>The completion form: the assessment per insats (by its id) and of the case as a whole.</summary>
    [BindProperty] public Dictionary<Guid, string?> Final { get; set; } = [];
    [BindProperty] public string? OverallAssessment { get; set; }

    /// <summary>Whether the completion form is offered: an open follow-up and the API's Coordinator policy.</summary>
    public bool MayComplete { get; private set; }

    /// <summary>The insatser the completion needs an assessment of (the domain's rule: Planned or Ongoing).</summary>
    public IEnumerable<InterventionView> ToAssess => Interventions.Where(i => i.State is InterventionState.Planned or InterventionState.Ongoing);

    private Guid FollowUpId => Guid.Parse((string)RouteData.Values["followUpId"]!);

    /// <summary>The insatser the person sees (the case's category projection), with this follow-up's assessments of them.</summary>
    public IReadOnlyList<InterventionView> Interventions => Case.Interventions ?? [];

    public bool IsOpen => FollowUp.State is FollowUpState.Scheduled or FollowUpState.Overdue;

    /// <summary>Whether the form for <paramref name="insats"/> is offered: the domain's rule, on what the person was shown.</summary>
    public bool MayAssess(InterventionView insats) => IsOpen && Intervention.MayRecordAssessment(
        insats.OwnerParty, insats.ResponsibleUserId, User.UserId(), Case.Members.FirstOrDefault(m => m.UserId == User.UserId())?.Party);

    public string? RecordedFor(Guid interventionId) =>
        FollowUp.Assessments.FirstOrDefault(a => a.InterventionId == interventionId)?.Assessment;

    /// <summary>What the textarea of <paramref name="interventionId"/> holds: what was typed after a refusal, else what is recorded.</summary>
    public string? TextFor(Guid interventionId) =>
        InterventionId == interventionId && Assessment is not null ? Assessment : RecordedFor(interventionId);

    public static string FieldId(Guid interventionId) => $"Assessment-{interventionId:N}";
    public static string FinalFieldId(Guid interventionId) => $"Final-{interventionId:N}";

    /// <summary>What the completion's textarea of <paramref name="interventionId"/> holds: what was typed, else what the party recorded.</summary>
    public string? FinalTextFor(Guid interventionId) =>
        Final.TryGetValue(interventionId, out var typed) && typed is not null ? typed : RecordedFor(interventionId);

    /// <summary>
    /// Completes the follow-up as POST .../transitions {trigger: Complete} does: an empty text is left out (the party's
    /// recorded assessment counts, as in the API), the domain's messages land by the insats's field.
    /// </summary>
    public async Task<IActionResult> OnPostCompleteAsync(Guid id, Guid followUpId, CancellationToken ct)
    {
        if (!await this.AllowsAsync(Policies.Coordinator)) return StatusCode(StatusCodes.Status403Forbidden);
        var assessments = Final.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => a.Value!.Trim());
        var request = new FollowUpTransitions.Request(FollowUpTrigger.Complete, assessments, OverallAssessment, null);
        return await ChangeAsync(id, async () => (await FollowUpTransitions.Handle(id, followUpId, request, User, Db, Time,
                HttpContext.RequestServices.GetRequiredService<IOptions<CaseRules>>(), ct)).Result,
            _ => $"/arenden/{id}/uppfoljningar/{followUpId}?sparat=genomford", ct,
            () =>
            {
                foreach (var key in ModelState.Keys.Where(k => k.StartsWith("Assessments[", StringComparison.Ordinal)).ToList())
                    if (Guid.TryParse(key["Assessments[".Length..^1], out var insats)) PageChange.Rename(ModelState, FinalFieldId(insats), key);
                PageChange.Rename(ModelState, "", "Assessments"); // about the whole form (how many are missing, a foreign insats)
            });
    }

    public Task<IActionResult> OnPostAsync(Guid id, Guid followUpId, CancellationToken ct)
    {
        var interventionId = InterventionId ?? Guid.Empty;
        return ChangeAsync(id, async () => (await RecordAssessment.Handle(id, followUpId, interventionId, new(Assessment), User, Db, Time, ct)).Result,
            _ => $"/arenden/{id}/uppfoljningar/{followUpId}?sparat=1", ct,
            () => PageChange.Rename(ModelState, FieldId(interventionId), nameof(Assessment)));
    }

    /// <summary>The case, then the follow-up as the API's <see cref="GetFollowUp"/> answers it: another case's id is 404.</summary>
    protected override async Task<bool> ShowAsync(Guid id, CancellationToken ct)
    {
        if (!await base.ShowAsync(id, ct)) return false;
        if ((await GetFollowUp.Handle(id, FollowUpId, User, Db, Time, ct)).Result is not Ok<FollowUpView> followUp) return false;
        FollowUp = followUp.Value!;
        MayComplete = IsOpen && await this.AllowsAsync(Policies.Coordinator);
        return true;
    }
}
