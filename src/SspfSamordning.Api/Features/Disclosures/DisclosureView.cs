using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Disclosures;

public sealed record DisclosureView(
    Guid Id, DisclosureState State, string LegalBasis, string Justification, IReadOnlyList<InformationCategory> Categories,
    string DecisionMaker, Guid ReceivingPoliceUserId, Guid RecordedByUserId, DateTimeOffset DisclosedAt, DateTimeOffset EndsAt,
    DateTimeOffset? RevokedAt)
{
    public static DisclosureView From(Disclosure d) => new(
        d.Id, d.State, d.LegalBasis, d.Justification, [.. d.Categories], d.DecisionMaker, d.ReceivingPoliceUserId,
        d.RecordedByUserId, d.DisclosedAt, d.EndsAt, d.RevokedAt);

    /// <summary>The domain's rule (<see cref="Disclosure.IsVisibleTo"/>) for this caller.</summary>
    public static bool IsVisibleTo(Disclosure d, Viewer viewer) => d.IsVisibleTo(viewer.UserId, viewer.IsSocialServices);

    public static IReadOnlyList<DisclosureView>? Visible(IEnumerable<Disclosure> disclosures, Viewer viewer)
    {
        var visible = disclosures.Where(d => IsVisibleTo(d, viewer)).OrderBy(d => d.DisclosedAt).ThenBy(d => d.Id).Select(From).ToList();
        return viewer.IsSocialServices || visible.Count > 0 ? visible : null;
    }

    /// <summary>The section as <paramref name="viewer"/> may see it in <paramref name="case"/> (not time-dependent).</summary>
    public static IReadOnlyList<DisclosureView>? Visible(Case @case, Viewer viewer, DateTimeOffset now) => Visible(@case.Disclosures, viewer);
}
