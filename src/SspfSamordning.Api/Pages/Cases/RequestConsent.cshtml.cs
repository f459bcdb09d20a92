using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>/arenden/{id}/begar-samtycke: the coordinator requests consent for a scope — the API's <see cref="Features.Consents.RequestConsent"/>.</summary>
[Authorize(Policy = Policies.Coordinator)]
[AuditedPage]
public sealed class RequestConsentModel(SspfDbContext db, TimeProvider time, IAuditContext audit, IOptions<CaseRules> rules)
    : CasePageModel(db, time, audit)
{
    /// <summary>What a consent can share (socialtjänst's internal information never is).</summary>
    public static readonly IReadOnlyList<InformationCategory> Shareable =
        [InformationCategory.Basic, InformationCategory.School, InformationCategory.SocialServicesSspfNotes, InformationCategory.Police];

    [BindProperty] public List<Party> Parties { get; set; } = [];
    [BindProperty] public List<InformationCategory> Categories { get; set; } = [];

    protected override void Prefill()
    {
        Parties = [.. Case.ProposedParties];
        Categories = [InformationCategory.Basic];
    }

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, async () => (await Features.Consents.RequestConsent.Handle(id, new(Parties, Categories), User, Db, Time, rules, ct)).Result,
            _ => $"/arenden/{id}", ct);
}
