using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// The sign-in sessions (<see cref="AuthSession"/>): opened by every sign-in, carried by OpenIddict's tokens
/// (<c>sid</c>) and the web cookie (<see cref="WebSession"/>), re-read on every request (<see cref="SessionPrincipal"/>)
/// and revoked here — on logout, password change, role change, disable, and refresh-token or code reuse. Tokens come
/// only from OpenIddict (<see cref="OpenIdServer"/>); this class issues none.
/// </summary>
public sealed class SessionStore(SspfDbContext db, TimeProvider time)
{
    /// <summary>Opens a login session; the web pages' cookie and OpenIddict's tokens carry its id.</summary>
    public async Task<AuthSession> OpenSessionAsync(AppUser user, bool multiFactor, CancellationToken ct)
    {
        var session = new AuthSession { UserId = user.Id, MultiFactor = multiFactor, CreatedAt = time.GetUtcNow() };
        db.AuthSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session;
    }

    public Task RevokeSessionAsync(Guid sessionId, string reason, CancellationToken ct) =>
        RevokeSessionsAsync(db.AuthSessions.Where(s => s.Id == sessionId), reason, ct);

    /// <summary>Ends every session of a user: on password change, role change and disable.</summary>
    public Task RevokeAllSessionsAsync(Guid userId, string reason, CancellationToken ct) =>
        RevokeSessionsAsync(db.AuthSessions.Where(s => s.UserId == userId), reason, ct);

    private async Task RevokeSessionsAsync(IQueryable<AuthSession> sessions, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await sessions.Where(s => s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, reason), ct);
    }

    /// <summary>
    /// Whether a session started at <paramref name="createdAt"/> has reached its absolute lifetime
    /// (<c>Auth:SessionLifetimeHours</c>): checked on every request and every refresh, whatever the tokens say.
    /// </summary>
    public static bool SessionEnded(DateTimeOffset createdAt, DateTimeOffset now, AuthOptions options) =>
        now >= createdAt + options.SessionLifetime;
}
