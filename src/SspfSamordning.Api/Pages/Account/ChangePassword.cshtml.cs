using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>
/// /byt-losenord: the API's <see cref="Features.Auth.ChangePassword"/> use case. Reachable by any session, also one
/// whose password an administrator chose; every session of the user ends, so the person signs in again.
/// </summary>
[Authorize(Policy = Policies.AnySession)]
public sealed class ChangePasswordModel(
    UserManager<AppUser> users, SecondFactor secondFactor, SessionStore tokens, SspfDbContext db, IAuditContext audit) : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public bool Required => User.MustChangePassword();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(NewPassword) && NewPassword != ConfirmPassword)
        {
            ModelState.AddModelError(nameof(ConfirmPassword), "Lösenorden är inte likadana.");
            return Page();
        }
        var result = await Features.Auth.ChangePassword.Handle(new(CurrentPassword, NewPassword), User, users, secondFactor, tokens, db, audit, ct);
        if (result.Result is ValidationProblem invalid)
        {
            invalid.AddTo(ModelState);
            return Page();
        }
        await HttpContext.SignOutAsync(WebSession.Scheme);
        return LocalRedirect(WebSession.SignInPath + "?meddelande=losenord-bytt");
    }
}
