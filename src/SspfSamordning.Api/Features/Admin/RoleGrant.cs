using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Admin;

public enum RoleGrantState { Pending, Approved, Rejected, Superseded }

/// <summary>
/// A four-eyes role change (domain.md, "Separation of duties"): an administrator asked for an account to get roles it
/// does not hold; nothing changes until a second administrator of the account's municipalities approves. Removing roles
/// needs no approval. A newer request or a direct change of the same account supersedes a pending one.
/// </summary>
public sealed class RoleGrant
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    /// <summary>The account's complete set of roles once approved, sorted, comma separated.</summary>
    public string Roles { get; init; } = "";
    public Guid RequestedByUserId { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public RoleGrantState State { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public sealed record View(Guid Id, Guid UserId, string UserEmail, string UserDisplayName, IReadOnlyList<string> Roles,
        Guid RequestedByUserId, DateTimeOffset RequestedAt, RoleGrantState State, Guid? DecidedByUserId, DateTimeOffset? DecidedAt);

    public View ToView(AppUser user) =>
        new(Id, UserId, user.Email!, user.DisplayName, RoleList, RequestedByUserId, RequestedAt, State, DecidedByUserId, DecidedAt);

    /// <summary>
    /// Records the request (and its access-log event) on <paramref name="db"/>, superseding any pending one of the account;
    /// the caller saves. <paramref name="wanted"/> has passed <see cref="AdminScope.ValidateRoles"/>.
    /// </summary>
    public static async Task<RoleGrant> RequestAsync(SspfDbContext db, IAuditContext audit, ClaimsPrincipal admin, Guid userId,
        IEnumerable<string> wanted, DateTimeOffset now, CancellationToken ct)
    {
        await SupersedePendingAsync(db, admin, userId, now, ct);
        var grant = new RoleGrant
        {
            UserId = userId, Roles = string.Join(",", wanted.Distinct().Order(StringComparer.Ordinal)),
            RequestedByUserId = admin.UserId(), RequestedAt = now, State = RoleGrantState.Pending,
        };
        db.Set<RoleGrant>().Add(grant);
        db.AccessEvents.Add(audit.NewEvent(AuditAction.AccountChanged, entityType: AuditEntities.User, entityId: userId, purpose: "RoleGrantRequested"));
        return grant;
    }

    /// <summary>A pending request would otherwise, once approved, undo a change made after it.</summary>
    public static Task SupersedePendingAsync(SspfDbContext db, ClaimsPrincipal admin, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        var by = admin.UserId();
        return db.Set<RoleGrant>().Where(g => g.UserId == userId && g.State == RoleGrantState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.State, RoleGrantState.Superseded)
                .SetProperty(g => g.DecidedByUserId, by).SetProperty(g => g.DecidedAt, now), ct);
    }
}

internal sealed class RoleGrantConfiguration : IEntityTypeConfiguration<RoleGrant>
{
    public void Configure(EntityTypeBuilder<RoleGrant> b)
    {
        b.ToTable("RoleGrants");
        b.HasKey(g => g.Id);
        b.Property(g => g.Id).ValueGeneratedNever();
        b.Property(g => g.Roles).HasMaxLength(256);
        b.Ignore(g => g.RoleList);
        b.HasOne<AppUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(g => new { g.UserId, g.State });
        b.HasIndex(g => g.State);
    }
}
