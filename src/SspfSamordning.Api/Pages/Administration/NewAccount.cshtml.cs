using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SspfSamordning.Api.Features.Admin;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Administration;

/// <summary>
/// /administration/nytt-konto (Administratör): the API's <see cref="CreateUser"/> — a unit of the administrator's
/// municipalities (<see cref="ListUnits"/>), the roles asked for (a pending grant another administrator approves) and the
/// initial password the person replaces at the first sign-in.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class NewAccountModel(SspfDbContext db, UserManager<AppUser> users, IAuditContext audit, TimeProvider time) : AdminPage
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? UnitId { get; set; }
    [BindProperty] public List<string> Roles { get; set; } = [];
    [BindProperty] public string? InitialPassword { get; set; }

    public IReadOnlyList<ListUnits.UnitView> Units { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A unit id that is no id at all is refused as the API refuses an unknown one (the use case's message).
        Guid? unit = Guid.TryParse(UnitId, out var parsed) ? parsed : null;
        var result = await CreateUser.Handle(new CreateUser.Request(Email?.Trim(), DisplayName?.Trim(), unit, Roles, InitialPassword),
            User, db, users, audit, time, ct);
        if (result.Result is Created<CreateUser.Response> created)
            return LocalRedirect($"/administration/konton/{created.Value!.Id}?meddelande=skapat");
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Refused(result.Result);
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Units = (await ListUnits.Handle(null, Paging.MaxPageSize, User, db, ct)).Value!.Items;
}
