using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Builds the principal of a request from a login session, re-reading the session, the user's security stamp, roles,
/// party and municipalities in one query on every request — whatever carries the session (a bearer token, the web
/// cookie), so that logout, disable, role change and membership change take effect on the very next request, and a
/// session older than its absolute lifetime (<c>Auth:SessionLifetimeHours</c>) ends on the request that finds it so.
/// </summary>
public static class SessionPrincipal
{
    /// <returns>The principal (with the session's start, <see cref="SspfClaims.SessionCreated"/>, so that no caller
    /// reads the row again), or null when the session has ended (revoked, disabled user, changed stamp, too old).</returns>
    public static async Task<ClaimsPrincipal?> LoadAsync(
        SspfDbContext db, Guid userId, Guid sessionId, string stamp, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct)
    {
        var current = await db.AuthSessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null
                        && !s.User!.IsDisabled && s.User.SecurityStamp == stamp)
            .Select(s => new
            {
                s.MultiFactor,
                s.CreatedAt,
                s.User!.MustChangePassword,
                s.User.DisplayName,
                s.User.UnitId,
                s.User.Unit!.Party,
                Municipalities = s.User.Unit.Municipalities.Select(m => m.MunicipalityId).ToList(),
                Roles = db.UserRoles.Where(ur => ur.UserId == s.UserId)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (current is null || SessionStore.SessionEnded(current.CreatedAt, now, options)) return null;

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, userId.ToString()),
            new(SspfClaims.SessionId, sessionId.ToString()),
            new(SspfClaims.SessionCreated, current.CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, current.DisplayName),
            new(SspfClaims.Party, current.Party.ToString()),
            new(SspfClaims.Unit, current.UnitId.ToString()),
            new(SspfClaims.Amr, current.MultiFactor ? "mfa" : "pwd"),
            .. current.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
            .. current.Municipalities.Select(m => new Claim(SspfClaims.Municipality, m.ToString())),
        ];
        if (current.MustChangePassword) claims.Add(new Claim(SspfClaims.PasswordChangeRequired, "true"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
