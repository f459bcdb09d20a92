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
/// membership change take effect on the very next request.
/// </summary>
public sealed class BearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TokenService tokens, SspfDbContext db)
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
                s.User!.UnitId,
                s.User.Unit!.Party,
                Municipalities = s.User.Unit.Municipalities.Select(m => m.MunicipalityId).ToList(),
                Roles = db.UserRoles.Where(ur => ur.UserId == s.UserId)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (current is null) return AuthenticateResult.Fail("Session ended.");

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
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
