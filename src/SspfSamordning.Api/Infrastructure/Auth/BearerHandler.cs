using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> access tokens. Every request re-reads the session, the user's
/// security stamp, roles, party and municipalities in one query, so that logout, disable, role change and
/// membership change take effect on the very next request; a session older than its absolute lifetime
/// (<c>Auth:SessionLifetimeHours</c>) ends on the request that finds it so.
/// </summary>
public sealed class BearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TokenService tokens, SspfDbContext db, TimeProvider clock, IOptions<AuthOptions> authOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SspfBearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var payload = tokens.ReadAccessToken(header["Bearer ".Length..].Trim());
        if (payload is null) return AuthenticateResult.Fail("Invalid or expired access token.");

        var current = await db.AuthSessions.AsNoTracking()
            .Where(s => s.Id == payload.Sid && s.UserId == payload.Sub && s.RevokedAt == null
                        && !s.User!.IsDisabled && s.User.SecurityStamp == payload.Stamp)
            .Select(s => new
            {
                s.MultiFactor,
                s.CreatedAt,
                s.User!.MustChangePassword,
                s.User.UnitId,
                s.User.Unit!.Party,
                Municipalities = s.User.Unit.Municipalities.Select(m => m.MunicipalityId).ToList(),
                Roles = db.UserRoles.Where(ur => ur.UserId == s.UserId)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (current is null) return AuthenticateResult.Fail("Session ended.");
        if (TokenService.SessionEnded(current.CreatedAt, clock.GetUtcNow(), authOptions.Value))
            return AuthenticateResult.Fail("Session reached its absolute lifetime.");

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, payload.Sub.ToString()),
            new(SspfClaims.SessionId, payload.Sid.ToString()),
            new(SspfClaims.Party, current.Party.ToString()),
            new(SspfClaims.Unit, current.UnitId.ToString()),
            new(SspfClaims.Amr, current.MultiFactor ? "mfa" : "pwd"),
            .. current.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
            .. current.Municipalities.Select(m => new Claim(SspfClaims.Municipality, m.ToString())),
        ];
        if (current.MustChangePassword) claims.Add(new Claim(SspfClaims.PasswordChangeRequired, "true"));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
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
