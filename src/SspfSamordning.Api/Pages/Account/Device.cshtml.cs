using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SspfSamordning.Api.Features.Auth;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>
/// /enhet, OpenIddict's end-user verification endpoint of the device flow (RFC 8628): a fully signed-in person (web
/// session, second factor given) enters the user code a command-line tool shows, sees which client asks, and approves
/// or denies. OpenIddict has checked the code before this runs (a wrong or expired code names no request here). An
/// approval binds the device's tokens to this login session, exactly as an authorization code is bound: they end with
/// it and are re-checked on every request; a denial gives the device <c>access_denied</c>.
/// </summary>
[Authorize(Policy = Policies.FullySignedInUser)]
public sealed class DeviceModel(IOpenIddictApplicationManager applications, SspfDbContext db, TimeProvider time, IOptions<AuthOptions> options) : PageModel
{
    public const string UserCodeField = "user_code";
    public const string AnswerField = "svar";
    public const string Approve = "godkann", Deny = "neka";
    public const string WrongCode = "Koden är fel eller har gått ut. Kontrollera koden på enheten och försök igen.";

    /// <summary>The code being answered (known to OpenIddict), or null while the person is still to enter one.</summary>
    public string? UserCode { get; private set; }
    public string? ClientName { get; private set; }
    /// <summary>godkand or nekad after an answer.</summary>
    public string? Outcome { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? utfall)
    {
        Outcome = utfall is "godkand" or "nekad" ? utfall : null;
        if (Outcome is null) await ReadRequestAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var request = await ReadRequestAsync();
        if (request is null) return Page();
        if (Request.Form[AnswerField] == Deny)
            return Forbid(new AuthenticationProperties { RedirectUri = OpenIdServer.DeviceVerificationPath + "?utfall=nekad" },
                OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (Request.Form[AnswerField] != Approve) return Page();
        var principal = await ConnectAuthorize.PrincipalForAsync(User, request.GetScopes(), db, time.GetUtcNow(), options.Value, ct);
        return SignIn(principal, new AuthenticationProperties { RedirectUri = OpenIdServer.DeviceVerificationPath + "?utfall=godkand" },
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The device request the entered user code belongs to; null (with the Swedish error when a code was entered) otherwise.</summary>
    private async Task<System.Security.Claims.ClaimsPrincipal?> ReadRequestAsync()
    {
        var entered = HttpContext.GetOpenIddictServerRequest()?.UserCode;
        if (string.IsNullOrWhiteSpace(entered)) return null;
        var result = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal.GetClaim(Claims.ClientId) is not { } clientId)
        {
            ModelState.AddModelError(UserCodeField, WrongCode);
            return null;
        }
        UserCode = result.Properties.GetTokenValue(OpenIddictServerAspNetCoreConstants.Tokens.UserCode) ?? entered;
        var application = await applications.FindByClientIdAsync(clientId, HttpContext.RequestAborted);
        ClientName = application is null ? clientId : await applications.GetDisplayNameAsync(application, HttpContext.RequestAborted) ?? clientId;
        return result.Principal;
    }
}
