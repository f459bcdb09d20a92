using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Core;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> access tokens: OpenIddict's reference access tokens (<see cref="OpenIdServer"/>),
/// the only kind the app issues (the first-party <c>/api/auth/login</c> tokens are retired). The presented handle is
/// hashed by OpenIddict's own rule (<see cref="SspfTokenManager.HashHandleAsync"/>) and one query reads the token row and
/// the session it acts for (<see cref="SessionPrincipal.LoadForAccessTokenAsync"/>): token status and expiry, session,
/// user, stamp, roles, party and municipalities. OpenIddict's validation stack is not on this path: the token's payload
/// is never read, the row and the session are the truth.
/// </summary>
public sealed class BearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SspfDbContext db, OpenIddictTokenManager<SspfToken> tokens, TimeProvider clock, IOptions<AuthOptions> authOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SspfBearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var handle = header["Bearer ".Length..].Trim();
        if (handle.Length == 0) return AuthenticateResult.Fail("Invalid or expired access token.");
        var hashed = await ((SspfTokenManager)tokens).HashHandleAsync(handle, Context.RequestAborted);
        var principal = await SessionPrincipal.LoadForAccessTokenAsync(
            db, hashed, SchemeName, clock.GetUtcNow(), authOptions.Value, Context.RequestAborted);
        if (principal is null) return AuthenticateResult.Fail("Invalid or expired access token, or the session has ended.");
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750), naming <c>invalid_token</c> when one was presented.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
    }

    /// <summary>
    /// 403. When the session lacks a sign-in step that the endpoint needs (a password change, the second factor), the
    /// answer names it with its own problem type, so that a client can lead the person there.
    /// </summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        SignInSteps.Missing(Context) is { } step ? SignInSteps.WriteProblemAsync(Context, step) : base.HandleForbiddenAsync(properties);
}
