using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>
/// /logga-ut: a POST (with the antiforgery token) ends the login session, as the API's logout does; a session opened
/// through the municipality's identity provider then signs out there too (<see cref="FederatedSignOut"/>).
/// </summary>
[Authorize(Policy = Policies.AnySession)]
public sealed class SignOutModel(SessionStore tokens, IAuditContext audit, AuditLog log) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var session = (await HttpContext.AuthenticateAsync(WebSession.Scheme)).Properties;
        await Logout.EndSessionAsync(User, tokens, audit, log, ct);
        await HttpContext.SignOutAsync(WebSession.Scheme);
        // Signed in through the municipality's identity provider: its sign-out too, once this session has ended.
        if (await FederatedSignOut.RememberAsync(HttpContext, session, ct)) return LocalRedirect(Federation.SignOutAtProviderPath);
        return LocalRedirect(WebSession.SignInPath + "?meddelande=utloggad");
    }
}
