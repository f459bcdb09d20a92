using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Api.Infrastructure.Web;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>
/// /tvastegsverifiering: enrols the authenticator app through the API's own use cases (<see cref="SetUpTwoFactor"/>,
/// then <see cref="EnableTwoFactor"/>), each with the current password. A password-only session reaches this page and
/// /byt-losenord only (the <see cref="Policies.SignedIn"/> policy, as the API's enrolment endpoints). Enabling ends every
/// session: the page shows the recovery codes once and the person signs in again with a code.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class SecondFactorModel(
    UserManager<AppUser> users, IUserStore<AppUser> store, SecondFactor secondFactor, SessionStore tokens, SspfDbContext db, IAuditContext audit)
    : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? Code { get; set; }
    /// <summary>The new key, shown again if the code step must be repeated (it is the person's own, and the page is no-store).</summary>
    [BindProperty] public string? SharedKey { get; set; }
    public string? AuthenticatorUri { get; private set; }
    /// <summary>The QR code of <see cref="AuthenticatorUri"/>: only ever drawn from the key the use case just gave this session, never from a posted field.</summary>
    public QrCodeSvg? QrCode { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public bool AlreadyEnabled { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostSetUpAsync(CancellationToken ct)
    {
        var result = await SetUpTwoFactor.Handle(new(CurrentPassword), User, users, store, secondFactor, db, audit, ct);
        if (result.Result is Ok<SetUpTwoFactor.Response> ok)
        {
            SharedKey = ok.Value!.SharedKey;
            AuthenticatorUri = ok.Value.AuthenticatorUri;
            QrCode = QrCodeSvg.For(AuthenticatorUri);
        }
        else result.Result.AddErrorsTo(ModelState);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken ct)
    {
        var result = await EnableTwoFactor.Handle(new(CurrentPassword, Code), User, users, secondFactor, tokens, db, audit, ct);
        if (result.Result is Ok<EnableTwoFactor.Response> ok)
        {
            RecoveryCodes = ok.Value!.RecoveryCodes;
            await HttpContext.SignOutAsync(WebSession.Scheme);
        }
        else result.Result.AddErrorsTo(ModelState);
        return Page();
    }
}
