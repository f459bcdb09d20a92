using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OpenIddict.Client.AspNetCore;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>
/// /logga-in/extern/utloggning: after /logga-ut ended the session of a person who signed in through the municipality's
/// identity provider, this page goes on (Refresh header; a link without it) to <c>?handler=Vidare</c>, which takes the
/// pending sign-out (<see cref="FederatedSignOut"/>, once) and redirects to the provider's end-session endpoint through
/// OpenIddict's client. Not a form's redirect chain, so the page's CSP form-action stays 'self'. Without a pending
/// sign-out it leads to /logga-in with the signed-out message.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.WebSignIn)]
public sealed class ProviderSignOutModel : PageModel
{
    public const string ContinueHandler = "Vidare";

    public string ProviderName { get; private set; } = "";
    public string ContinueUrl => Federation.SignOutAtProviderPath + "?handler=" + ContinueHandler;

    public IActionResult OnGet()
    {
        if (FederatedSignOut.PendingProviderName(HttpContext) is not { } name) return LocalRedirect(WebSession.SignInPath + "?meddelande=utloggad");
        ProviderName = name;
        Response.Headers["Refresh"] = "0;url=" + ContinueUrl;
        return Page();
    }

    public async Task<IActionResult> OnGetVidareAsync(CancellationToken ct) =>
        await FederatedSignOut.TakeAsync(HttpContext, ct) is { } atProvider
            ? SignOut(atProvider, OpenIddictClientAspNetCoreDefaults.AuthenticationScheme)
            : LocalRedirect(WebSession.SignInPath + "?meddelande=utloggad");
}
