using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>/logga-ut: a POST (with the antiforgery token) ends the login session, as the API's logout does.</summary>
[Authorize(Policy = Policies.AnySession)]
public sealed class SignOutModel(SessionStore tokens, IAuditContext audit, AuditLog log) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await Logout.EndSessionAsync(User, tokens, audit, log, ct);
        await HttpContext.SignOutAsync(WebSession.Scheme);
        return LocalRedirect(WebSession.SignInPath + "?meddelande=utloggad");
    }
}
