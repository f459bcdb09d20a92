namespace SspfSamordning.Domain.Cases;

/// <summary>The young person (owned by <see cref="Case"/>). Every string is personal data.</summary>
public sealed class Youth
{
    private Youth()
    {
    }

    /// <summary>Normalised 12 digits (personal data).</summary>
    public string Personnummer { get; private set; } = "";
    public string GivenName { get; private set; } = "";
    public string FamilyName { get; private set; } = "";
    public string? School { get; private set; }
    public string? Address { get; private set; }

    /// <summary>Skyddade personuppgifter: names and address are masked for every role but socialtjänst.</summary>
    public bool ProtectedIdentity { get; private set; }

    /// <summary>
    /// Protected identity (skyddad identitet) hides the youth's and the guardians' names, personnummer, school, address
    /// and contact details from everyone but socialtjänst's case workers.
    /// </summary>
    public bool IsMaskedFor(bool socialServices) => ProtectedIdentity && !socialServices;

    public static Youth Create(
        string personnummer, string givenName, string familyName, DateOnly today,
        string? school = null, string? address = null, bool protectedIdentity = false) => new()
    {
        Personnummer = Domain.Personnummer.Parse(personnummer, today).Value,
        GivenName = DomainText.Required(givenName, "givenName", "Förnamn saknas.", TextLimits.Name),
        FamilyName = DomainText.Required(familyName, "familyName", "Efternamn saknas.", TextLimits.Name),
        School = DomainText.Optional(school, "school", TextLimits.School),
        Address = DomainText.Optional(address, "address", TextLimits.Address),
        ProtectedIdentity = protectedIdentity,
    };

    /// <summary>The age on <paramref name="date"/>, from the stored number (its range was checked when it was stored).</summary>
    public int AgeOn(DateOnly date) => Domain.Personnummer.Stored(Personnummer).AgeOn(date);
}

/// <summary>A legal guardian (vårdnadshavare). Every string is personal data.</summary>
public sealed class Guardian
{
    private Guardian()
    {
    }

    public Guid Id { get; private set; }
    public string GivenName { get; private set; } = "";
    public string FamilyName { get; private set; } = "";
    public string? Personnummer { get; private set; }
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    public string? Address { get; private set; }

    /// <summary>Only guardians with custody sign consent.</summary>
    public bool HasCustody { get; private set; }

    /// <summary>Protected identity: this guardian must not be contacted.</summary>
    public bool DoNotContact { get; private set; }

    public static Guardian Create(
        string givenName, string familyName, bool hasCustody, DateOnly today,
        string? personnummer = null, string? phone = null, string? email = null, string? address = null,
        bool doNotContact = false) => new()
    {
        Id = Guid.CreateVersion7(),
        GivenName = DomainText.Required(givenName, "givenName", "Förnamn saknas.", TextLimits.Name),
        FamilyName = DomainText.Required(familyName, "familyName", "Efternamn saknas.", TextLimits.Name),
        HasCustody = hasCustody,
        Personnummer = string.IsNullOrWhiteSpace(personnummer) ? null : Domain.Personnummer.Parse(personnummer, today).Value,
        Phone = DomainText.OptionalPhone(phone, "phone"),
        Email = DomainText.OptionalEmail(email, "email"),
        Address = DomainText.Optional(address, "address", TextLimits.Address),
        DoNotContact = doNotContact,
    };
}

/// <summary>A user in the case team (ärendeteam).</summary>
public sealed class CaseMember
{
    private CaseMember()
    {
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Party Party { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
    public Guid AddedByUserId { get; private set; }

    internal static CaseMember Create(Guid userId, Party party, Guid actorUserId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        Party = party,
        AddedAt = now,
        AddedByUserId = actorUserId,
    };
}

/// <summary>
/// One period in which a user belonged to the case team: from when they were added until they were removed (open while
/// they still belong). Kept after the removal, so that the access log's reads can be judged by the membership at the time
/// of each read (loggkontroll); a user added, removed and added again has two periods.
/// </summary>
public sealed class MembershipPeriod
{
    private MembershipPeriod()
    {
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Party Party { get; private set; }
    public DateTimeOffset From { get; private set; }
    public Guid AddedByUserId { get; private set; }

    /// <summary>When the user was removed from the team; null while they belong to it.</summary>
    public DateTimeOffset? Until { get; private set; }
    public Guid? RemovedByUserId { get; private set; }

    internal static MembershipPeriod Begin(CaseMember member) => new()
    {
        Id = member.Id,
        UserId = member.UserId,
        Party = member.Party,
        From = member.AddedAt,
        AddedByUserId = member.AddedByUserId,
    };

    internal void End(Guid actorUserId, DateTimeOffset now)
    {
        Until = now;
        RemovedByUserId = actorUserId;
    }
}
