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
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.FollowUps;

/// <summary>
/// /arenden/{id}/uppfoljningar/{followUpId}: one follow-up as the API's <see cref="GetFollowUp"/> shows it (404 alike for
/// an invisible case, a case without the Basic category and another case's follow-up id), each insats the person sees
/// with its recorded assessment, and — while the follow-up is Scheduled or Overdue — a form per insats the person may
/// assess (decision 11: a member of the owning party or the responsible person), posted through
/// <see cref="RecordAssessment"/>. The insats's id is a hidden field: a tampered or foreign one is the API's 404/403.
/// </summary>
[Authorize(Policy = Policies.CaseReader)]
[AuditedPage]
public sealed class FollowUpModel(SspfDbContext db, TimeProvider time, IAuditContext audit) : CasePageModel(db, time, audit)
{
    public FollowUpView FollowUp { get; private set; } = null!;
    [FromQuery(Name = "sparat")] public string? Saved { get; set; }

    [BindProperty] public Guid? InterventionId { get; set; }
    [BindProperty] public string? Assessment { get; set; }

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
        return true;
    }
}
