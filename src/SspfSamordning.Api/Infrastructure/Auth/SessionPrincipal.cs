using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>
/// Builds the principal of a request from a login session, re-reading the session, the user's security stamp, roles,
/// party and municipalities in one statement on every request — whatever carries the session (a bearer token, the web
/// cookie), so that logout, disable, role change and membership change take effect on the very next request, and a
/// session older than its absolute lifetime (<c>Auth:SessionLifetimeHours</c>) ends on the request that finds it so.
/// For a bearer token the same statement starts at the token row (<see cref="LoadForAccessTokenAsync"/>): token and
/// session in one round trip.
/// </summary>
/// <remarks>
/// The statement is hand-written (<see cref="SqlDialect.SessionByAccessToken"/>, <see cref="SqlDialect.SessionByCookie"/>:
/// one text per carrier, the checks and the columns shared) and run as EF's own relational command, read with the plain
/// <see cref="DbDataReader"/>. Round twelve's profile put the lookup at about a fifth of a read's API CPU, and its
/// one-row variant showed that the shape of the statement did not matter; what a compiled LINQ query adds on top of the
/// command (its query context and parameter cache, the shaper, the collections' population) is what this leaves out.
/// EF's command layer is kept: it opens and closes the connection as EF counts it, enlists the current transaction,
/// applies the command timeout, and logs and intercepts the command as every other statement of the request.
/// Parameters are created by the type mappings of the columns they are compared with, so each is sent exactly as EF
/// stores that column (SQLite's text GUIDs, the token's expiry as SQLite's date text).
/// </remarks>
public static class SessionPrincipal
{
    /// <returns>The principal (with the session's start, <see cref="SspfClaims.SessionCreated"/>, so that no caller
    /// reads the row again), or null when the session has ended (revoked, disabled user, changed stamp, too old).</returns>
    public static async Task<ClaimsPrincipal?> LoadAsync(
        SspfDbContext db, Guid userId, Guid sessionId, string stamp, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct) =>
        Build(await ReadAsync(db, Lookups.Of(db).BySession, [sessionId, userId, stamp], ct), scheme, now, options);

    /// <summary>
    /// The principal of a bearer request: the access token's row by its stored (hashed) handle — an access token, valid
    /// (not revoked, not redeemed), not expired, issued for a session with the API scope (<see cref="SspfToken.ApiSessionId"/>),
    /// for the stamp the user still has — and its session, with the checks of <see cref="LoadAsync(SspfDbContext, Guid, Guid, string, string, DateTimeOffset, AuthOptions, CancellationToken)"/>.
    /// The row is the revocation check: <c>/connect/revoke</c>, a reused refresh token or code (every token of its
    /// authorization revoked) and expiry all end it there.
    /// </summary>
    /// <returns>The principal, or null when no such token or no live session.</returns>
    public static async Task<ClaimsPrincipal?> LoadForAccessTokenAsync(
        SspfDbContext db, string hashedHandle, string scheme, DateTimeOffset now, AuthOptions options, CancellationToken ct) =>
        Build(await ReadAsync(db, Lookups.Of(db).ByAccessToken, [hashedHandle, now.UtcDateTime], ct), scheme, now, options);

    /// <summary>
    /// The two commands' templates, built once per model (a type mapping belongs to one model and provider): the dialect's text with
    /// its placeholders {n} turned into the provider's parameters — PostgreSQL's positional <c>$n</c> (unnamed, so Npgsql
    /// sends the text as it is, without rewriting it on every execution), elsewhere EF's own parameter names.
    /// </summary>
    private sealed class Lookups
    {
        private static readonly ConditionalWeakTable<IModel, Lookups> byModel = new();

        public required IRelationalCommandTemplate ByAccessToken { get; init; }
        public required IRelationalCommandTemplate BySession { get; init; }
        /// <summary>Reads <see cref="AuthSession.CreatedAt"/> as its column stores it (SQLite: UTC ticks).</summary>
        public required Func<DbDataReader, int, DateTimeOffset> ReadInstant { get; init; }

        public static Lookups Of(SspfDbContext db) => byModel.GetValue(db.Model, _ => Create(db));

        private static Lookups Create(SspfDbContext db)
        {
            var dialect = SqlDialect.Of(db.Database);
            var token = db.Model.FindEntityType(typeof(SspfToken))!;
            var session = db.Model.FindEntityType(typeof(AuthSession))!;
            var user = db.Model.FindEntityType(typeof(AppUser))!;
            var created = session.FindProperty(nameof(AuthSession.CreatedAt))!.GetTypeMapping().Converter;
            return new Lookups
            {
                ByAccessToken = Command(db, dialect.SessionByAccessToken,
                    [token.FindProperty(nameof(SspfToken.ReferenceId))!, token.FindProperty(nameof(SspfToken.ExpirationDate))!]),
                BySession = Command(db, dialect.SessionByCookie,
                    [session.FindProperty(nameof(AuthSession.Id))!, session.FindProperty(nameof(AuthSession.UserId))!,
                     user.FindProperty(nameof(AppUser.SecurityStamp))!]),
                ReadInstant = created?.ProviderClrType == typeof(long)
                    ? (reader, i) => (DateTimeOffset)created.ConvertFromProvider(reader.GetInt64(i))!
                    : (reader, i) => reader.GetFieldValue<DateTimeOffset>(i),
            };
        }

        private static IRelationalCommandTemplate Command(SspfDbContext db, string sql, IProperty[] compared)
        {
            var positional = db.Database.IsNpgsql();
            var names = db.GetService<ISqlGenerationHelper>();
            var builder = db.GetService<IRelationalCommandBuilderFactory>().Create();
            var placeholders = new object[compared.Length];
            for (var i = 0; i < compared.Length; i++)
            {
                var name = "p" + i;
                placeholders[i] = positional ? "$" + (i + 1) : names.GenerateParameterNamePlaceholder(name);
                builder.AddParameter(name, positional ? "" : names.GenerateParameterName(name), compared[i].GetRelationalTypeMapping(), nullable: false);
            }
            // A template: an executed RelationalCommand keeps its data reader for reuse, so one instance shared by concurrent
            // requests closes another request's reader (seen in the tests as "reader is closed"); each execution rents its
            // own from the context's connection and fills it from the template, as EF's queries do.
            return (IRelationalCommandTemplate)builder.Append(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, placeholders)).Build();
        }
    }

    /// <summary>
    /// Runs the lookup and reads its rows: the session's columns from the first, and every distinct municipality and role
    /// (the statement joins them as they are, one row per pair). Null when no row: no such carrier, or no live session.
    /// </summary>
    private static async Task<Current?> ReadAsync(SspfDbContext db, IRelationalCommandTemplate command, object[] values, CancellationToken ct)
    {
        var lookups = Lookups.Of(db);
        var parameters = new Dictionary<string, object?>(values.Length);
        for (var i = 0; i < values.Length; i++) parameters["p" + i] = values[i];
        var connection = db.GetService<IRelationalConnection>();
        var execution = connection.RentCommand();
        execution.PopulateFrom(command);
        await using var result = await execution.ExecuteReaderAsync(new RelationalCommandParameterObject(
            connection, parameters, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(),
            CommandSource.FromSqlQuery), ct);
        var reader = result.DbDataReader;
        Current? current = null;
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (current is null)
                current = new Current
                {
                    Id = id,
                    UserId = reader.GetGuid(1),
                    MultiFactor = reader.GetBoolean(2),
                    CreatedAt = lookups.ReadInstant(reader, 3),
                    MustChangePassword = reader.GetBoolean(4),
                    DisplayName = reader.GetString(5),
                    UnitId = reader.GetGuid(6),
                    Party = Enum.Parse<Party>(reader.GetString(7)),
                    Subject = reader.IsDBNull(10) ? null : reader.GetString(10),
                };
            // One carrier finds one session (a token's reference id and a session's id are unique): anything else is a
            // broken database, refused as loudly as a second row of a single-row query.
            else if (id != current.Id)
                throw new InvalidOperationException("The session lookup found more than one session.");
            if (!reader.IsDBNull(8) && reader.GetGuid(8) is var municipality && !current.Municipalities.Contains(municipality))
                current.Municipalities.Add(municipality);
            if (!reader.IsDBNull(9) && reader.GetString(9) is var role && !current.Roles.Contains(role))
                current.Roles.Add(role);
        }
        return current;
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
