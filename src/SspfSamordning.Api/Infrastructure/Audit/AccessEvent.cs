using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SspfSamordning.Api.Infrastructure.Audit;

public enum AuditAction
{
    Read, List, Search, Create, Change, Transition, Refused,
    LoginSucceeded, LoginFailed, LockedOut, TwoFactorChanged, RefreshTokenReuse,
    Logout, PasswordChanged,
    /// <summary>An administrator created, changed or disabled an account (entity: the account's user id).</summary>
    AccountChanged,
    /// <summary>Gallring: records were erased (entity type: what; categories: how many — never what they held).</summary>
    Erasure,
    /// <summary>
    /// Loggkontroll: a Granskare queried the access log (entity type <c>AccessLog</c>; case and entity: whose trail — the
    /// case and the user filtered on, if any; purpose: the endpoint and its filter).
    /// </summary>
    AuditQuery,
    /// <summary>
    /// The OAuth / OpenID Connect token or authorization endpoint refused a request (entity type: the endpoint; purpose:
    /// the OAuth error, the grant or response type, the client id if registered — never a code, token or secret).
    /// </summary>
    OAuthRefused,
    /// <summary>An OAuth client was registered (entity type <c>OAuthClient</c>; purpose: its kind and client id, never its secret).</summary>
    ClientRegistered,
    /// <summary>
    /// A redeemed authorization code was presented again (entity type <c>OAuthToken</c>; actor: the account it was issued
    /// to): the tokens issued from it and its sign-in session are revoked.
    /// </summary>
    AuthorizationCodeReuse,
    /// <summary>
    /// An OAuth client was changed, had its secret rotated or was removed by the Administratör (entity type
    /// <c>OAuthClient</c>; purpose: which, the client id and the fields changed — never a value or secret).
    /// </summary>
    ClientChanged,
}

public enum AuditDecision { Allowed, Refused }

/// <summary>Entity types of events that concern an account rather than case data.</summary>
public static class AuditEntities
{
    public const string User = "User";
}

/// <summary>
/// One entry of the append-only access log (security.md, "Audit"). Ids, roles and categories only: never decrypted
/// content, names, e-mail addresses or personnummer. <see cref="Hash"/> chains it to the entry before it
/// (<see cref="AuditChain"/>); the log is written by <see cref="AuditLog"/> and by the DbContext's save.
/// </summary>
public sealed class AccessEvent
{
    /// <summary>
    /// Time-ordered (version 7): every append adds to the right end of the primary key's index, as it does to the other
    /// indexes but the case's, instead of a random leaf page — the log takes an event per read and 25 per list page, and on
    /// PostgreSQL a random page touched for the first time after a checkpoint writes its whole image to the WAL.
    /// </summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>
    /// The chain the entry belongs to (<see cref="AuditChain.Stripes"/> chains, appended concurrently): chosen from its
    /// case, else its actor (<see cref="AuditChain.StripeOf"/>). Entries written before the chains were striped are in 0.
    /// </summary>
    public short Stripe { get; set; }
    /// <summary>The entry's place in its stripe's chain: strictly increasing, unique per stripe, assigned under that stripe's append lock.</summary>
    public long Sequence { get; set; }
    /// <summary>UTC, whole microseconds (what PostgreSQL stores), so that the hash survives the round trip.</summary>
    public DateTimeOffset At { get; init; }
    public Guid? ActorUserId { get; init; }
    /// <summary>The actor's roles, sorted, comma separated.</summary>
    public string Roles { get; init; } = "";
    public string? Party { get; init; }
    public Guid? MunicipalityId { get; init; }
    public AuditAction Action { get; init; }
    public Guid? CaseId { get; init; }
    public string? EntityType { get; init; }
    public Guid? EntityId { get; init; }
    /// <summary>The information categories touched, comma separated (empty when not applicable).</summary>
    public string Categories { get; init; } = "";
    public string? Purpose { get; init; }
    public AuditDecision Decision { get; init; }
    public string CorrelationId { get; init; } = "";
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";

    public static DateTimeOffset Instant(DateTimeOffset now)
    {
        var utc = now.UtcTicks;
        return new DateTimeOffset(utc - utc % 10, TimeSpan.Zero);
    }
}

internal sealed class AccessEventConfiguration : IEntityTypeConfiguration<AccessEvent>
{
    public void Configure(EntityTypeBuilder<AccessEvent> b)
    {
        b.ToTable("AccessEvents");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Sequence).ValueGeneratedNever();
        b.HasIndex(e => new { e.Stripe, e.Sequence }).IsUnique();
        b.HasIndex(e => new { e.CaseId, e.At });
        b.HasIndex(e => new { e.ActorUserId, e.At });
        b.HasIndex(e => e.At);
        b.Property(e => e.Roles).HasMaxLength(256);
        b.Property(e => e.Party).HasMaxLength(64);
        b.Property(e => e.EntityType).HasMaxLength(64);
        b.Property(e => e.Categories).HasMaxLength(512);
        b.Property(e => e.Purpose).HasMaxLength(256);
        b.Property(e => e.CorrelationId).HasMaxLength(128);
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
    }
}
