using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>
/// /logga-in/extern/kod: after a federated sign-in whose provider did not assert several factors, the local second
/// factor — a code from the authenticator app (accepted once) or a recovery code. A wrong one counts toward lockout and
/// is logged as any failed sign-in (<see cref="FailedSignIns"/>); the account waiting is in a five-minute Data
/// Protection cookie set by <see cref="FederatedSignIn"/>, never in the form.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.WebSignIn)]
public sealed class FederatedCodeModel(
    UserManager<AppUser> users, SecondFactor secondFactor, FailedSignIns failures, IDataProtectionProvider dataProtection,
    IAuditContext audit, AuditLog log, IOptions<AuthOptions> options) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }

    public IActionResult OnGet() =>
        FederatedSignIn.ReadPending(HttpContext, dataProtection) is null ? Restart() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (FederatedSignIn.ReadPending(HttpContext, dataProtection) is not { } pending) return Restart();
        if (string.IsNullOrWhiteSpace(Code) && string.IsNullOrWhiteSpace(RecoveryCode))
        {
            ModelState.AddModelError(nameof(Code), "Ange koden från autentiseringsappen eller en återställningskod.");
            return Page();
        }
        var user = await users.FindByIdAsync(pending.UserId.ToString());
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            await failures.RecordAsync(null, user?.Id, ct);
            return Restart();
        }
        if (!await secondFactor.AcceptCodeOrRecoveryCodeAsync(user, Code, RecoveryCode, ct))
        {
            await failures.RecordAsync(user, user.Id, ct);
            ModelState.AddModelError(nameof(Code), "Koden stämmer inte eller har redan använts. Vänta på nästa kod och försök igen.");
            Code = RecoveryCode = null;
            return Page();
        }
        var next = await FederatedSignIn.CompleteAsync(HttpContext, user, pending.Provider, pending.IdentityToken, "local", pending.ReturnUrl, audit, log, options.Value, ct);
        return new ResultActionResult(next);
    }

    private RedirectResult Restart()
    {
        Response.Cookies.Delete(FederatedSignIn.PendingCookie, FederatedSignIn.PendingCookieOptions(HttpContext));
        return Redirect(WebSession.SignInPath + "?meddelande=" + FederatedSignIn.FailedNotice);
    }

    /// <summary>Runs a minimal-API result (the shared completion's redirect) from a page handler.</summary>
    private sealed class ResultActionResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
