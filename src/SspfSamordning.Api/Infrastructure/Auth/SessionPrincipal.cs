using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
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
    public static async Task<ClaimsPrincipal?> LoadAsync(
        SspfDbContext db, Guid userId, Guid sessionId, string stamp, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct) =>
        Build(await CompiledQueries.Of(db).BySession(db, sessionId, userId, stamp, ct), scheme, now, options);

    /// <summary>
    /// The principal of a bearer request: the access token's row by its stored (hashed) handle — an access token, valid
    /// (not revoked, not redeemed), not expired, issued for a session with the API scope (<see cref="SspfToken.ApiSessionId"/>),
    /// for the stamp the user still has — and its session, in the one query of <see cref="LoadAsync(SspfDbContext, Guid, Guid, string, string, DateTimeOffset, AuthOptions, CancellationToken)"/>.
    /// The row is the revocation check: <c>/connect/revoke</c>, a reused refresh token or code (every token of its
    /// authorization revoked) and expiry all end it there.
    /// </summary>
    /// <returns>The principal, or null when no such token or no live session.</returns>
    public static async Task<ClaimsPrincipal?> LoadForAccessTokenAsync(
        SspfDbContext db, string hashedHandle, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct) =>
        Build(await CompiledQueries.Of(db).ByAccessToken(db, hashedHandle, now.UtcDateTime, ct), scheme, now, options);

    // The session by what carries it: the web cookie's (user, session, stamp) ...
    private static readonly Expression<Func<SspfDbContext, Guid, Guid, string, IQueryable<Carried>>> BySession =
        (db, sessionId, userId, stamp) => db.AuthSessions
            .Where(s => s.Id == sessionId && s.UserId == userId && s.User!.SecurityStamp == stamp)
            .Select(s => new Carried { Session = s });

    // ... or a bearer token's row (its subject is checked against the session's user in Build).
    private static readonly Expression<Func<SspfDbContext, string, DateTime, IQueryable<Carried>>> ByAccessToken =
        (db, hashedHandle, at) => db.Set<SspfToken>()
            .Where(t => t.ReferenceId == hashedHandle && t.Type == SspfTokenManager.AccessTokenType && t.Status == Statuses.Valid
                        && t.ExpirationDate > at && t.Subject != null)
            .Join(db.AuthSessions, t => t.ApiSessionId, s => (Guid?)s.Id, (t, s) => new { t, s })
            .Where(x => x.t.ApiSecurityStamp == x.s.User!.SecurityStamp)
            .Select(x => new Carried { Session = x.s, Subject = x.t.Subject });

    // The checks and the projection every carrier shares: live session, enabled user, and what the claims need.
    private static readonly Expression<Func<SspfDbContext, IQueryable<Carried>, Current?>> Live =
        (db, carried) => carried.AsNoTracking()
            .Where(c => c.Session.RevokedAt == null && !c.Session.User!.IsDisabled)
            .Select(c => new Current
            {
                Subject = c.Subject,
                Id = c.Session.Id,
                UserId = c.Session.UserId,
                MultiFactor = c.Session.MultiFactor,
                CreatedAt = c.Session.CreatedAt,
                MustChangePassword = c.Session.User!.MustChangePassword,
                DisplayName = c.Session.User.DisplayName,
                UnitId = c.Session.User.UnitId,
                Party = c.Session.User.Unit!.Party,
                Municipalities = c.Session.User.Unit.Municipalities.Select(m => m.MunicipalityId).ToList(),
                Roles = db.UserRoles.Where(ur => ur.UserId == c.Session.UserId)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .SingleOrDefault();

    /// <summary>
    /// The two queries compiled once (EF.CompileAsyncQuery): the profile showed EF's LINQ pipeline (QueryCompiler.ExecuteCore,
    /// walking the expression tree and computing its cache key on every execution) as a large share of every request's
    /// authentication. A compiled query belongs to one model, so they are kept per model (as CaseAccess's are).
    /// </summary>
    private sealed class CompiledQueries
    {
        private static readonly ConditionalWeakTable<IModel, CompiledQueries> byModel = new();

        public static CompiledQueries Of(SspfDbContext db) => byModel.GetValue(db.Model, _ => new CompiledQueries());

        public Func<SspfDbContext, Guid, Guid, string, CancellationToken, Task<Current?>> BySession { get; } =
            EF.CompileAsyncQuery(Compose<Func<SspfDbContext, Guid, Guid, string, CancellationToken, Current?>>(SessionPrincipal.BySession));

        public Func<SspfDbContext, string, DateTime, CancellationToken, Task<Current?>> ByAccessToken { get; } =
            EF.CompileAsyncQuery(Compose<Func<SspfDbContext, string, DateTime, CancellationToken, Current?>>(SessionPrincipal.ByAccessToken));
    }

    /// <summary><see cref="Live"/> applied to a carrier's query: one expression tree, as if written in one piece.</summary>
    private static Expression<TDelegate> Compose<TDelegate>(LambdaExpression carrier)
    {
        var body = new Substitute(Live.Parameters[1], carrier.Body).Visit(Live.Body);
        body = new Substitute(Live.Parameters[0], carrier.Parameters[0]).Visit(body);
        return Expression.Lambda<TDelegate>(body, [.. carrier.Parameters, Expression.Parameter(typeof(CancellationToken), "ct")]);
    }

    private sealed class Substitute(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }

    private sealed class Current
    {
        public string? Subject { get; init; }
        public Guid Id { get; init; }
        public Guid UserId { get; init; }
        public bool MultiFactor { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public bool MustChangePassword { get; init; }
        public string DisplayName { get; init; } = "";
        public Guid UnitId { get; init; }
        public Party Party { get; init; }
        public List<Guid> Municipalities { get; init; } = [];
        public List<string> Roles { get; init; } = [];
    }

    private static ClaimsPrincipal? Build(Current? current, string scheme, DateTimeOffset now, AuthOptions options)
    {
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
