using Microsoft.AspNetCore.Identity;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Auth;

/// <summary>A kommun: the tenant boundary.</summary>
public sealed class Municipality
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; init; }
    /// <summary>The four-digit kommunkod (SCB), e.g. 1382 for Falkenberg.</summary>
    public required string Code { get; init; }
}

/// <summary>A party unit (a school, a social-services unit, a lokalpolisområde …) serving one or more municipalities.</summary>
public sealed class PartyUnit
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; init; }
    public Party Party { get; init; }
    public List<UnitMunicipality> Municipalities { get; init; } = [];
}

public sealed class UnitMunicipality
{
    public Guid UnitId { get; init; }
    public Guid MunicipalityId { get; init; }
}

/// <summary>A person who signs in. Belongs to one party unit; sees the municipalities that unit serves.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public AppUser() => Id = Guid.CreateVersion7();

    public string DisplayName { get; set; } = "";
    public Guid UnitId { get; set; }
    public PartyUnit? Unit { get; set; }
    public bool IsDisabled { get; set; }
    /// <summary>
    /// The last TOTP time step accepted: a code for this step or an earlier one is a replay. Written only by
    /// <see cref="SecondFactor"/>'s conditional claim: the mapping excludes it from every entity update, so that a
    /// concurrent save of a stale copy of the user (any <c>UserManager</c> update) cannot write an older step back.
    /// </summary>
    public long LastTotpTimeStep { get; set; }
    /// <summary>
    /// True until the person chooses their own password: a new account's password was chosen by an administrator.
    /// Such a session may only change the password (or log out) — not even enrol the second factor.
    /// </summary>
    public bool MustChangePassword { get; set; } = true;
    /// <summary>
    /// The person's HSA-id (the national catalogue id of health and social care staff, e.g. <c>SE2321000131-P000000000001</c>),
    /// when known: a municipality's identity provider may name the person by it (Infrastructure/Auth/Federation.cs). Unique.
    /// </summary>
    public string? HsaId { get; set; }
    /// <summary>The employer's employee number, when known: another claim a municipality's identity provider may name the person by.</summary>
    public string? EmployeeNumber { get; set; }
}

/// <summary>A login session: one family of rotating refresh tokens. Revoking it ends the access tokens issued in it.</summary>
public sealed class AuthSession
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public AppUser? User { get; init; }
    public bool MultiFactor { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
}
