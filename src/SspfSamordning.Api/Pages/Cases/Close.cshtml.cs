using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages.Cases;

/// <summary>/arenden/{id}/avsluta: the coordinator closes the case with a reason — the API's <see cref="CaseTransitions"/> (Close).</summary>
[Authorize(Policy = Policies.Coordinator)]
[AuditedPage]
public sealed class CloseModel(SspfDbContext db, BlindIndex index, TimeProvider time, IAuditContext audit, IOptions<CaseRules> rules)
    : CasePageModel(db, time, audit)
{
    [BindProperty] public CloseReason? CloseReason { get; set; }
    [BindProperty] public string? CloseComment { get; set; }

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var request = new CaseTransitions.Request(CaseTrigger.Close, CloseReason, string.IsNullOrWhiteSpace(CloseComment) ? null : CloseComment, null);
        return ChangeAsync(id, async () => (await CaseTransitions.Handle(id, request, User, Db, index, Time, rules, ct)).Result, _ => $"/arenden/{id}", ct);
    }
}
