using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;

namespace SspfSamordning.Api.Pages.Account;

/// <summary>
/// /logga-in: e-mail and password, then (same flow) a code from the authenticator app or a recovery code. The checks
/// are <see cref="PasswordSignIn"/>'s, the API login's own: one answer for every failure, lockout, replay guard,
/// per-account throttle; the page adds the per-client-address limit of <see cref="RateLimits.WebSignIn"/>.
/// Between the two steps the e-mail and password travel in a hidden field encrypted with Data Protection and valid
/// for five minutes: the second step signs in with all three, exactly as the API login does.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.WebSignIn)]
public sealed class SignInModel(PasswordSignIn signIn, IDataProtectionProvider dataProtection, IOptions<AuthOptions> options) : PageModel
{
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);
    private ITimeLimitedDataProtector Protector => dataProtection.CreateProtector("Sspf.WebSignIn.v1").ToTimeLimitedDataProtector();

    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }
    /// <summary>The first step's e-mail and password, encrypted, while the second step is shown.</summary>
    [BindProperty] public string? Pending { get; set; }
    [BindProperty(SupportsGet = true, Name = WebSession.ReturnUrlParameter)] public string? ReturnUrl { get; set; }
    /// <summary>Why the person is here: a message after sign-out or a password change.</summary>
    [BindProperty(SupportsGet = true, Name = "meddelande")] public string? Notice { get; set; }

    public bool SecondStep => Pending is not null;

    /// <summary>Before either handler: a sign-in for an authorization request may end at the client's redirect URI (CSP).</summary>
    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context,
        Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        await Infrastructure.Web.AuthorizeFormAction.AllowRedirectOfAsync(HttpContext, ReturnUrl, HttpContext.RequestAborted);
        await next();
    }

    public void OnGet() => Pending = null;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        string? email = Email, password = Password;
        if (Pending is not null)
        {
            if (Unprotect(Pending) is not { } pending)
            {
                Pending = null;
                ModelState.AddModelError(nameof(Email), "Inloggningen tog för lång tid. Logga in igen.");
                return Page();
            }
            (email, password) = pending;
            if (string.IsNullOrWhiteSpace(Code) && string.IsNullOrWhiteSpace(RecoveryCode))
            {
                ModelState.AddModelError(nameof(Code), "Ange koden från autentiseringsappen eller en återställningskod.");
                return Page();
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Email)) ModelState.AddModelError(nameof(Email), "Ange din e-postadress.");
            if (string.IsNullOrEmpty(Password)) ModelState.AddModelError(nameof(Password), "Ange ditt lösenord.");
            if (!ModelState.IsValid) return Page();
        }

        var result = await signIn.SignInAsync(email, password, Code, RecoveryCode, ct);
        switch (result.Outcome)
        {
            case SignInOutcome.Throttled:
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = ((int)Math.Ceiling(signIn.ThrottleWindow.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Pending = null;
                ModelState.AddModelError("", "För många inloggningsförsök. Vänta några minuter och försök igen.");
                return Page();
            case SignInOutcome.SecondFactorRequired:
                Pending = Protector.Protect(JsonSerializer.Serialize(new PendingSignIn(email!, password!)), PendingLifetime);
                return Page();
            case SignInOutcome.Failed:
                // One answer for every failure, whatever step: nothing tells which part was wrong.
                ModelState.AddModelError(SecondStep ? nameof(Code) : nameof(Email),
                    SecondStep ? "Koden stämmer inte eller har redan använts. Vänta på nästa kod och försök igen."
                               : "Fel e-postadress eller lösenord, eller så är kontot spärrat.");
                Code = RecoveryCode = null;
                return Page();
        }

        var user = result.User!;
        await WebSession.SignInAsync(HttpContext, user, result.MultiFactor, ct);
        if (user.MustChangePassword) return LocalRedirect(WebSession.ChangePasswordPath);
        if (!result.MultiFactor && !options.Value.RelaxTwoFactor) return LocalRedirect(WebSession.SecondFactorPath);
        return LocalRedirect(WebSession.SafeReturnUrl(ReturnUrl));
    }

    private PendingSignIn? Unprotect(string pending)
    {
        try
        {
            return JsonSerializer.Deserialize<PendingSignIn>(Protector.Unprotect(pending));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private sealed record PendingSignIn(string Email, string Password);
}
