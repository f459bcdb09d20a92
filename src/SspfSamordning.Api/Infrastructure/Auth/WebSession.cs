using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// The browser session of the web pages: a cookie that holds only the user id, the login session id (an
/// <see cref="AuthSession"/> row, the same table the API's tokens use) and the security stamp. Every request re-reads
/// the session through <see cref="SessionPrincipal"/>, so logout, disabling, role and membership changes take effect on
/// the next page load. 15 minutes idle (sliding), and the session's absolute limit (<see cref="AuthOptions.SessionLifetime"/>).
/// Only the pages name this scheme: the API's default scheme stays the bearer token, so a cookie never authenticates
/// an <c>/api</c> request (no CSRF through the API).
/// </summary>
public static class WebSession
{
    public const string Scheme = "SspfWeb";
    public const string CookieName = "__Host-sspf";
    public const string DevelopmentCookieName = "sspf";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);
    public const string SignInPath = "/logga-in";
    public const string SignOutPath = "/logga-ut";
    public const string ChangePasswordPath = "/byt-losenord";
    public const string SecondFactorPath = "/tvastegsverifiering";
    public const string ReturnUrlParameter = "returnUrl";
    /// <summary>The security stamp the session was opened with.</summary>
    private const string StampClaim = "sspf_stamp";

    public static AuthenticationBuilder AddSspfWebSession(this AuthenticationBuilder builder, IWebHostEnvironment environment) =>
        builder.AddCookie(Scheme, o =>
        {
            // __Host- needs Secure, which plain-HTTP Development cannot give.
            o.Cookie.Name = environment.IsDevelopment() ? DevelopmentCookieName : CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            // Lax, not Strict: an OpenID Connect client's top-level redirect to /connect/authorize must carry the session.
            // Every state change is a POST with an antiforgery token, which Lax never sends cross-site.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            o.LogoutPath = SignOutPath;
            o.ReturnUrlParameter = ReturnUrlParameter;
            o.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = ValidateAsync,
                OnRedirectToAccessDenied = context =>
                {
                    // A session that lacks a sign-in step is led to it; anything else is a plain 403 page.
                    var step = SignInSteps.Missing(context.HttpContext);
                    if (step is null) context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    else context.Response.Redirect(step == SignInStep.PasswordChange ? ChangePasswordPath : SecondFactorPath);
                    return Task.CompletedTask;
                },
            };
        });

    /// <summary>
    /// Opens a login session (no tokens) and sets the cookie. <paramref name="items"/> ride along in the (encrypted)
    /// cookie's properties, e.g. the identity provider a federated sign-in came through (<see cref="Features.Auth.FederatedSignOut"/>).
    /// </summary>
    public static async Task SignInAsync(HttpContext http, AppUser user, bool multiFactor, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? items = null)
    {
        var sessionId = (await http.RequestServices.GetRequiredService<SessionStore>().OpenSessionAsync(user, multiFactor, ct)).Id;
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(SspfClaims.SessionId, sessionId.ToString()),
            new Claim(StampClaim, user.SecurityStamp!),
        ], Scheme);
        var properties = new AuthenticationProperties { IsPersistent = false };
        foreach (var (key, value) in items ?? new Dictionary<string, string?>()) properties.Items[key] = value;
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), properties);
    }

    /// <summary>Every request: the cookie's three values must still name a live session, else the cookie is dropped.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var cookie = context.Principal!;
        var services = context.HttpContext.RequestServices;
        ClaimsPrincipal? principal = null;
        if (Guid.TryParse(cookie.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && Guid.TryParse(cookie.FindFirstValue(SspfClaims.SessionId), out var sessionId)
            && cookie.FindFirstValue(StampClaim) is { } stamp)
        {
            principal = await SessionPrincipal.LoadAsync(services.GetRequiredService<SspfDbContext>(), userId, sessionId, stamp, Scheme,
                services.GetRequiredService<TimeProvider>().GetUtcNow(), services.GetRequiredService<IOptions<AuthOptions>>().Value,
                context.HttpContext.RequestAborted);
        }
        if (principal is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        // The request sees the fresh principal; the cookie (renewed by sliding expiration) keeps only the three values.
        context.ReplacePrincipal(principal);
    }

    /// <summary>Only a local path (not <c>//host</c>, not <c>/\host</c>, not absolute) is followed after sign-in.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/'
        && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
        && !returnUrl.Any(char.IsControl)
            ? returnUrl : "/";
}
