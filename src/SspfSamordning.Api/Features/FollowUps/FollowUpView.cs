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
    /// <summary>
    /// The follow-up of <paramref name="case"/> for a caller shown <paramref name="categories"/> (which include Basic): the
    /// assessment of the case as a whole is a joint record, each insats's own assessment only with its insats (decision 9).
    /// </summary>
    public static FollowUpView From(Case @case, FollowUp f, IReadOnlySet<InformationCategory> categories, DateTimeOffset now) => new(
        f.Id, f.State, f.DueAt, f.OverallAssessment, f.DoneAt,
        [.. RecordCategories.VisibleAssessments(f, @case.Interventions, categories).Select(a => new FollowUpAssessmentView(a.InterventionId, a.Assessment))],
        [.. f.PermittedTriggers(now).Where(FollowUpTransitions.ClientTriggers.Contains).Select(t => t.ToString())]);

    /// <summary>The follow-ups, due first, for a caller shown Basic in <paramref name="case"/>; null (section absent) otherwise.</summary>
    public static IReadOnlyList<FollowUpView>? Visible(Case @case, Viewer viewer, DateTimeOffset now) =>
        Visible(@case, CaseAccess.CategoriesFor(@case, viewer, now), now);

    /// <summary>The follow-ups, due first, for a caller shown <paramref name="categories"/>; null (section absent) without Basic.</summary>
    public static IReadOnlyList<FollowUpView>? Visible(Case @case, IReadOnlySet<InformationCategory> categories, DateTimeOffset now) =>
        RecordCategories.ShowsJointRecords(categories)
            ? [.. @case.FollowUps.OrderBy(f => f.DueAt).ThenBy(f => f.Id).Select(f => From(@case, f, categories, now))]
            : null;
}
