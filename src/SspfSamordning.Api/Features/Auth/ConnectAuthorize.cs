using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Auth;

/// <summary>
/// GET/POST /connect/authorize, after OpenIddict has validated the request (registered client, exact redirect URI,
/// response type code, PKCE with S256). The person signs in through the web pages (<see cref="WebSession"/>, /logga-in:
/// <see cref="PasswordSignIn"/>'s checks and the second factor) and comes back here; the code is issued for that login
/// session, so every token from it ends with the session and is re-checked on every request.
/// </summary>
public static class ConnectAuthorize
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMethods(OpenIdServer.AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], Handle).AllowAnonymous().ExcludeFromDescription();

    private static async Task<IResult> Handle(HttpContext http, SspfDbContext db, TimeProvider time, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var returnUrl = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        var person = (await http.AuthenticateAsync(WebSession.Scheme)).Principal;
        if (person is null)
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [WebSession.Scheme]);
        // A session without the second factor may only enrol one: it gets no code (the web page leads it there).
        if (!person.IsMultiFactor() && !options.Value.RelaxTwoFactor) return Results.LocalRedirect(WebSession.SecondFactorPath);

        var principal = await PrincipalForAsync(person, request.GetScopes(), db, time.GetUtcNow(), options.Value, ct);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// What a code (or an approved device code, /enhet) issued for the web session of <paramref name="person"/> carries:
    /// that login session, so every token from it ends with the session.
    /// </summary>
    public static async Task<System.Security.Claims.ClaimsPrincipal> PrincipalForAsync(System.Security.Claims.ClaimsPrincipal person,
        IEnumerable<string> scopes, SspfDbContext db, DateTimeOffset now, AuthOptions options, CancellationToken ct)
    {
        var userId = person.UserId();
        var stamp = await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync(ct);
        return ConnectToken.TokenPrincipal(userId, person.SessionIdOf(), person.SessionCreatedAt(), stamp!, scopes, now, options);
    }
}
