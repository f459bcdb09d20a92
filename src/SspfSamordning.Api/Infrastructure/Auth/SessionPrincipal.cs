using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Builds the principal of a request from a login session, re-reading the session, the user's security stamp, roles,
/// party and municipalities in one query on every request — whatever carries the session (a bearer token, the web
/// cookie), so that logout, disable, role change and membership change take effect on the very next request, and a
/// session older than its absolute lifetime (<c>Auth:SessionLifetimeHours</c>) ends on the request that finds it so.
/// For a bearer token the same query starts at the token row (<see cref="LoadForAccessTokenAsync"/>): token and session
/// in one round trip.
/// </summary>
public static class SessionPrincipal
{
    /// <summary>A session, found by what carries it; for a token, also the token's subject (checked against the session's user).</summary>
    private sealed class Carried
    {
        public AuthSession Session { get; init; } = null!;
        public string? Subject { get; init; }
    }

    /// <returns>The principal (with the session's start, <see cref="SspfClaims.SessionCreated"/>, so that no caller
    /// reads the row again), or null when the session has ended (revoked, disabled user, changed stamp, too old).</returns>
    public static Task<ClaimsPrincipal?> LoadAsync(
        SspfDbContext db, Guid userId, Guid sessionId, string stamp, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct) =>
        LoadAsync(db, db.AuthSessions.Where(s => s.Id == sessionId && s.UserId == userId && s.User!.SecurityStamp == stamp)
            .Select(s => new Carried { Session = s }), scheme, now, options, ct);

    /// <summary>
    /// The principal of a bearer request: the access token's row by its stored (hashed) handle — an access token, valid
    /// (not revoked, not redeemed), not expired, issued for a session with the API scope (<see cref="SspfToken.ApiSessionId"/>),
    /// for the stamp the user still has — and its session, in the one query of <see cref="LoadAsync(SspfDbContext, Guid, Guid, string, string, DateTimeOffset, AuthOptions, CancellationToken)"/>.
    /// The row is the revocation check: <c>/connect/revoke</c>, a reused refresh token or code (every token of its
    /// authorization revoked) and expiry all end it there.
    /// </summary>
    /// <returns>The principal, or null when no such token or no live session.</returns>
    public static Task<ClaimsPrincipal?> LoadForAccessTokenAsync(
        SspfDbContext db, string hashedHandle, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct)
    {
        var at = now.UtcDateTime;
        var carried = db.Set<SspfToken>()
            .Where(t => t.ReferenceId == hashedHandle && t.Type == SspfTokenManager.AccessTokenType && t.Status == Statuses.Valid
                        && t.ExpirationDate > at && t.Subject != null)
            .Join(db.AuthSessions, t => t.ApiSessionId, s => (Guid?)s.Id, (t, s) => new { t, s })
            .Where(x => x.t.ApiSecurityStamp == x.s.User!.SecurityStamp)
            .Select(x => new Carried { Session = x.s, Subject = x.t.Subject });
        return LoadAsync(db, carried, scheme, now, options, ct);
    }

    private static async Task<ClaimsPrincipal?> LoadAsync(
        SspfDbContext db, IQueryable<Carried> carried, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct)
    {
        var current = await carried.AsNoTracking()
            .Where(c => c.Session.RevokedAt == null && !c.Session.User!.IsDisabled)
            .Select(c => new
            {
                c.Subject,
                c.Session.Id,
                c.Session.UserId,
                c.Session.MultiFactor,
                c.Session.CreatedAt,
                c.Session.User!.MustChangePassword,
                c.Session.User.DisplayName,
                c.Session.User.UnitId,
                c.Session.User.Unit!.Party,
                Municipalities = c.Session.User.Unit.Municipalities.Select(m => m.MunicipalityId).ToList(),
                Roles = db.UserRoles.Where(ur => ur.UserId == c.Session.UserId)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (current is null || SessionStore.SessionEnded(current.CreatedAt, now, options)) return null;
        // A token acts for its own subject only: a row naming another user's session is refused.
        if (current.Subject is not null && current.Subject != current.UserId.ToString()) return null;

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, current.UserId.ToString()),
            new(SspfClaims.SessionId, current.Id.ToString()),
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
