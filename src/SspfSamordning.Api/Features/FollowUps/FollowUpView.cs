using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.FollowUps;

public sealed record FollowUpAssessmentView(Guid InterventionId, string Assessment);

public sealed record FollowUpView(
    Guid Id, FollowUpState State, DateTimeOffset DueAt, string? OverallAssessment, DateTimeOffset? DoneAt,
    IReadOnlyList<FollowUpAssessmentView> Assessments, IReadOnlyList<string> PermittedTriggers)
{
    public static FollowUpView From(FollowUp f, DateTimeOffset now) => new(
        f.Id, f.State, f.DueAt, f.OverallAssessment, f.DoneAt,
        [.. f.Assessments.Select(a => new FollowUpAssessmentView(a.InterventionId, a.Assessment))],
        [.. f.PermittedTriggers(now).Select(t => t.ToString())]);

    /// <summary>The follow-ups, due first, for a caller shown Basic in <paramref name="case"/>; null (section absent) otherwise.</summary>
    public static IReadOnlyList<FollowUpView>? Visible(Case @case, Viewer viewer, DateTimeOffset now) =>
        CaseAccess.CategoriesFor(@case, viewer, now).Contains(InformationCategory.Basic)
            ? [.. @case.FollowUps.OrderBy(f => f.DueAt).ThenBy(f => f.Id).Select(f => From(f, now))]
            : null;
}
