using System.Text.Json.Serialization;
using SspfSamordning.Api.Features.Consents;
using SspfSamordning.Api.Features.Disclosures;
using SspfSamordning.Api.Features.FollowUps;
using SspfSamordning.Api.Features.Interventions;
using SspfSamordning.Api.Features.Meetings;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

// Explicit response types, built per caller from what they may see; entities are never serialized.
// A section the caller may not see is absent from the JSON.

public sealed record YouthView(string GivenName, string FamilyName, string? Personnummer, string? School, string? Address, bool ProtectedIdentity)
{
    public const string Masked = "Skyddad identitet";

    /// <summary>Masked as the domain decides (<see cref="Youth.IsMaskedFor"/>).</summary>
    public static YouthView From(Youth youth, Viewer viewer) =>
        youth.IsMaskedFor(viewer.IsSocialServices)
            ? new YouthView(Masked, Masked, null, null, null, true)
            : new YouthView(youth.GivenName, youth.FamilyName, youth.Personnummer, youth.School, youth.Address, youth.ProtectedIdentity);
}

public sealed record GuardianView(Guid Id, string GivenName, string FamilyName, bool HasCustody, bool DoNotContact, string? Phone, string? Email, string? Address)
{
    public static GuardianView From(Guardian g, bool masked) => masked
        ? new GuardianView(g.Id, YouthView.Masked, YouthView.Masked, g.HasCustody, g.DoNotContact, null, null, null)
        : new GuardianView(g.Id, g.GivenName, g.FamilyName, g.HasCustody, g.DoNotContact, g.Phone, g.Email, g.Address);
}

public sealed record MemberView(Guid UserId, Party Party, DateTimeOffset AddedAt);

public sealed record TransitionResult(Guid Id, string State, IReadOnlyList<string> PermittedTriggers);

public sealed record CaseSummary(
    Guid Id, string CaseNumber, CaseState State, Guid MunicipalityId, SignalCategory SignalCategory,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, YouthView Youth)
{
    public static CaseSummary From(Case c, Viewer viewer) =>
        new(c.Id, c.CaseNumber, c.State, c.MunicipalityId, c.SignalCategory, c.OpenedAt, c.ClosedAt, YouthView.From(c.Youth, viewer));
}

public sealed record CaseDetail(
    Guid Id, string CaseNumber, CaseState State, Guid MunicipalityId, SignalCategory SignalCategory,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, CloseReason? CloseReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CloseComment,
    IReadOnlyList<InformationCategory> Categories, IReadOnlyList<string> PermittedTriggers,
    YouthView Youth, IReadOnlyList<Party> ProposedParties, IReadOnlyList<MemberView> Members,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<GuardianView>? Guardians,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ConsentView>? Consents,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MeetingView>? Meetings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ActionPlanView? ActionPlan,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<InterventionView>? Interventions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FollowUpView>? FollowUps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DisclosureView>? Disclosures)
{
    /// <summary>The triggers a client may send to <c>POST /api/cases/{id}/transitions</c>; the others follow from consent.</summary>
    public static readonly IReadOnlySet<CaseTrigger> ClientTriggers = new HashSet<CaseTrigger> { CaseTrigger.Close, CaseTrigger.Reopen };

    public static CaseDetail From(Case c, Viewer viewer, DateTimeOffset now)
    {
        var categories = CaseAccess.CategoriesFor(c, viewer, now);
        var basic = categories.Contains(InformationCategory.Basic);
        var masked = c.Youth.IsMaskedFor(viewer.IsSocialServices);
        return new CaseDetail(
            c.Id, c.CaseNumber, c.State, c.MunicipalityId, c.SignalCategory, c.OpenedAt, c.ClosedAt, c.CloseReason,
            basic ? c.CloseComment : null,
            [.. categories.Order()], ClientPermittedTriggers(c, now),
            YouthView.From(c.Youth, viewer), c.ProposedParties,
            [.. c.Members.OrderBy(m => m.AddedAt).Select(m => new MemberView(m.UserId, m.Party, m.AddedAt))],
            basic ? [.. c.Guardians.Select(g => GuardianView.From(g, masked))] : null,
            basic ? [.. c.Consents.OrderBy(k => k.RequestedAt).Select(k => ConsentView.From(k, now))] : null,
            basic ? [.. c.Meetings.OrderBy(m => m.StartsAt).Select(m => MeetingView.From(m, now))] : null,
            basic && c.ActionPlan is { } plan ? ActionPlanView.From(plan) : null,
            InterventionView.Visible(c.Interventions, categories),
            FollowUpView.Visible(c, categories, now),
            DisclosureView.Visible(c.Disclosures, viewer));
    }

    public static IReadOnlyList<string> ClientPermittedTriggers(Case c, DateTimeOffset now) =>
        [.. c.PermittedTriggers(now).Where(ClientTriggers.Contains).Select(t => t.ToString())];
}
