using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SspfSamordning.Api.Features.Admin;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Administration;

/// <summary>
/// /administration/konton/{id} (Administratör): one managed account (<see cref="ListUsers.Get"/>; any other id answers the
/// 404 page, as the API) and its changes — <see cref="SetUserRoles"/> (adding a role is a four-eyes request; nobody changes
/// their own roles), <see cref="DisableUser"/> and <see cref="ResetTwoFactor"/> (never one's own), and the identifiers the
/// municipality's identity provider names the account by (<see cref="SetFederationIds"/>: HSA-id, employee number).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AccountModel(SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, SessionStore tokens, TimeProvider time) : AdminPage
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public List<string> Roles { get; set; } = [];
    [BindProperty] public string? HsaId { get; set; }
    [BindProperty] public string? EmployeeNumber { get; set; }

    public ListUsers.UserView Account { get; private set; } = null!;
    public bool IsSelf => Id == User.UserId();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostRolesAsync(CancellationToken ct)
    {
        var result = await SetUserRoles.Handle(Id, new SetUserRoles.Request(Roles), User, db, users, audit, tokens, time, ct);
        return result.Result switch
        {
            Accepted<RoleGrant.View> => Done("roller-begarda"),
            Ok<SetUserRoles.Response> => Done("roller-andrade"),
            var refusal => await RefusedAsync(refusal, ct),
        };
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken ct)
    {
        var result = await DisableUser.Handle(Id, User, db, users, audit, tokens, ct);
        return result.Result is NoContent ? Done("avstangt") : await RefusedAsync(result.Result, ct);
    }

    public async Task<IActionResult> OnPostResetTwoFactorAsync(CancellationToken ct)
    {
        var result = await ResetTwoFactor.Handle(Id, User, db, users, audit, tokens, ct);
        return result.Result is NoContent ? Done("tvasteg-aterstallt") : await RefusedAsync(result.Result, ct);
    }

    /// <summary>Both fields are posted: an empty one clears the identifier (the API's empty value), as the form shows it.</summary>
    public async Task<IActionResult> OnPostFederationIdsAsync(CancellationToken ct)
    {
        var result = await SetFederationIds.Handle(Id, new SetFederationIds.Request(HsaId ?? "", EmployeeNumber ?? ""), User, db, audit, ct);
        if (result.Result is Ok<ListUsers.UserView>) return Done("federation-andrad");
        var typed = (HsaId, EmployeeNumber);
        var page = await RefusedAsync(result.Result, ct);
        (HsaId, EmployeeNumber) = typed; // what was typed stays
        PageChange.Rename(ModelState, nameof(HsaId), ""); // the conflict is the HSA-id's: its message by the field
        return page;
    }

    private LocalRedirectResult Done(string notice) => LocalRedirect($"/administration/konton/{Id}?meddelande={notice}");

    private async Task<IActionResult> RefusedAsync(IResult refusal, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var chosen = Roles;
        if (await LoadAsync(ct) is { } notFound) return notFound;
        Roles = chosen; // what was ticked stays ticked
        return Refused(refusal);
    }

    /// <summary>Null when the account is one this administrator manages; else the 404 page.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if ((await ListUsers.Get(Id, User, db, ct)).Result is not Ok<ListUsers.UserView> ok) return NotFound();
        Account = ok.Value!;
        Roles = [.. Account.Roles];
        (HsaId, EmployeeNumber) = (Account.HsaId, Account.EmployeeNumber);
        return null;
    }
}
