using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Interventions;

public sealed record InterventionView(
    Guid Id, InterventionState State, InterventionType Type, Party OwnerParty, Guid ResponsibleUserId, string Goal,
    DateOnly? StartDate, DateOnly? PlannedEndDate, bool IsBistand, string? DecisionReference, DateTimeOffset ProposedAt,
    InterventionOutcome? Outcome, string? OutcomeComment, DateTimeOffset? CompletedAt, IReadOnlyList<string> PermittedTriggers)
{
    public static InterventionView From(Intervention i) => new(
        i.Id, i.State, i.Type, i.OwnerParty, i.ResponsibleUserId, i.Goal, i.StartDate, i.PlannedEndDate, i.IsBistand,
        i.DecisionReference, i.ProposedAt, i.Outcome, i.OutcomeComment, i.CompletedAt, [.. i.PermittedTriggers.Select(t => t.ToString())]);

    /// <summary>Whether a caller shown <paramref name="categories"/> sees <paramref name="i"/>: the section needs Basic, the item its own category.</summary>
    public static bool IsVisible(Intervention i, IReadOnlySet<InformationCategory> categories) => RecordCategories.Shows(categories, i);

    /// <summary>The interventions of the categories shared with the caller; null (section absent) when none is.</summary>
    public static IReadOnlyList<InterventionView>? Visible(IEnumerable<Intervention> interventions, IReadOnlySet<InformationCategory> categories) =>
        RecordCategories.ShowsJointRecords(categories)
            ? [.. interventions.Where(i => IsVisible(i, categories)).OrderBy(i => i.ProposedAt).ThenBy(i => i.Id).Select(From)]
            : null;

    /// <summary>The section as <paramref name="viewer"/> may see it in <paramref name="case"/> now.</summary>
    public static IReadOnlyList<InterventionView>? Visible(Case @case, Viewer viewer, DateTimeOffset now) =>
        Visible(@case.Interventions, CaseAccess.CategoriesFor(@case, viewer, now));
}
