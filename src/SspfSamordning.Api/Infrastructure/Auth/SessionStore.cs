using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Infrastructure.Auth;

public sealed record TokenPair(string AccessToken, int ExpiresIn, string RefreshToken);

/// <summary>What an access token carries. It is opaque to clients (Data Protection) and checked against the database on every request.</summary>
internal sealed record AccessTokenPayload(Guid Sub, Guid Sid, string Stamp, long Exp);

/// <summary>
/// Issues short-lived access tokens and rotating refresh tokens. A login session is a family of refresh
/// tokens: each is spent once, and presenting a spent one revokes the whole family (theft detection).
/// </summary>
public sealed class TokenService(
    SspfDbContext db, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<AuthOptions> options, IAuditContext audit, AuditLog log)
{
    internal const string Purpose = "Sspf.AccessToken.v1";
    private readonly IDataProtector protector = dataProtection.CreateProtector(Purpose);
    private AuthOptions Options => options.Value;

    public async Task<TokenPair> StartSessionAsync(AppUser user, bool multiFactor, CancellationToken ct)
    {
        var pair = NewPair(NewSession(user, multiFactor), user.SecurityStamp!);
        await db.SaveChangesAsync(ct);
        return pair;
    }

    /// <summary>
    /// Opens a login session without tokens of this service: the web pages' cookie (<see cref="WebSession"/>) and
    /// OpenIddict's tokens carry its id.
    /// </summary>
    public async Task<AuthSession> OpenSessionAsync(AppUser user, bool multiFactor, CancellationToken ct)
    {
        var session = NewSession(user, multiFactor);
        await db.SaveChangesAsync(ct);
        return session;
    }

    private AuthSession NewSession(AppUser user, bool multiFactor)
    {
        var session = new AuthSession { UserId = user.Id, MultiFactor = multiFactor, CreatedAt = time.GetUtcNow() };
        db.AuthSessions.Add(session);
        return session;
    }

    /// <summary>Spends <paramref name="refreshToken"/> and returns the next pair, or null. Reuse of a spent token revokes its session.</summary>
    public async Task<TokenPair?> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var hash = Hash(refreshToken);
        var token = await db.RefreshTokens.Include(t => t.Session).ThenInclude(s => s!.User)
            .SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null) return null;
        var session = token.Session!;
        if (session.RevokedAt is not null) return null;
        if (token.ConsumedAt is not null)
        {
            await RevokeSessionsAsync(db.AuthSessions.Where(s => s.Id == session.Id), "refresh-token-reuse", ct);
            await log.AppendAsync(audit.NewEvent(AuditAction.RefreshTokenReuse, AuditDecision.Refused, actorUserId: session.UserId), ct);
            return null;
        }
        if (token.ExpiresAt <= now || session.User!.IsDisabled) return null;
        if (SessionEnded(session.CreatedAt, now, Options))
        {
            await RevokeSessionsAsync(db.AuthSessions.Where(s => s.Id == session.Id), "session-lifetime", ct);
            return null;
        }

        // Spend it with a conditional update, so two concurrent refreshes cannot both win.
        var spent = await db.RefreshTokens.Where(t => t.Id == token.Id && t.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), ct);
        if (spent == 0)
        {
            await RevokeSessionsAsync(db.AuthSessions.Where(s => s.Id == session.Id), "refresh-token-reuse", ct);
            await log.AppendAsync(audit.NewEvent(AuditAction.RefreshTokenReuse, AuditDecision.Refused, actorUserId: session.UserId), ct);
            return null;
        }
        var pair = NewPair(session, session.User.SecurityStamp!);
        await db.SaveChangesAsync(ct);
        return pair;
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

    internal AccessTokenPayload? ReadAccessToken(string token)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<AccessTokenPayload>(protector.Unprotect(token));
            return payload is not null && payload.Exp > time.GetUtcNow().ToUnixTimeSeconds() ? payload : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    private TokenPair NewPair(AuthSession session, string securityStamp)
    {
        var now = time.GetUtcNow();
        // No token outlives its session.
        var sessionEnd = session.CreatedAt + Options.SessionLifetime;
        var accessEnd = Min(now + TimeSpan.FromMinutes(Options.AccessTokenMinutes), sessionEnd);
        var lifetime = accessEnd - now;
        var payload = new AccessTokenPayload(session.UserId, session.Id, securityStamp, accessEnd.ToUnixTimeSeconds());
        var access = protector.Protect(JsonSerializer.Serialize(payload));

        var refresh = Base64Url(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            SessionId = session.Id,
            TokenHash = Hash(refresh),
            CreatedAt = now,
            ExpiresAt = Min(now.AddDays(Options.RefreshTokenDays), sessionEnd),
        });
        return new TokenPair(access, (int)lifetime.TotalSeconds, refresh);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
