using System.Linq.Expressions;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Cases;

public enum DisclosureState
{
    Active,
    Revoked,
}

public enum DisclosureTrigger
{
    Revoke,
}

/// <summary>
/// Uppgiftslämnande utan samtycke: socialtjänst discloses to one police member, on a legal basis,
/// for some categories, until <see cref="EndsAt"/>. Never a consent share.
/// </summary>
public sealed class Disclosure
{
    public const string WorkflowName = nameof(Disclosure);

    private readonly List<InformationCategory> _categories = [];

    private Disclosure()
    {
    }

    public static WorkflowDescription Definition => Machine.Describe();

    public Guid Id { get; private set; }
    public DisclosureState State { get; private set; }
    public string LegalBasis { get; private set; } = "";

    /// <summary>Personal data.</summary>
    public string Justification { get; private set; } = "";

    public IReadOnlyCollection<InformationCategory> Categories => _categories;

    /// <summary>Name and title of the decision maker.</summary>
    public string DecisionMaker { get; private set; } = "";

    public Guid ReceivingPoliceUserId { get; private set; }
    public Guid RecordedByUserId { get; private set; }
    public DateTimeOffset DisclosedAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Active and not past its end: grants the receiving police member access now. The one definition, for SQL and memory.</summary>
    public static readonly Expression<Func<Disclosure, DateTimeOffset, bool>> InForceRule =
        (d, now) => d.State == DisclosureState.Active && now < d.EndsAt;

    /// <summary>In force and received by the user: what it discloses, that police officer may see.</summary>
    public static readonly Expression<Func<Disclosure, Guid, DateTimeOffset, bool>> GrantsRule =
        RuleExpression.And<Disclosure, DateTimeOffset, Guid>(InForceRule, (d, userId) => d.ReceivingPoliceUserId == userId);

    private static readonly Func<Disclosure, DateTimeOffset, bool> InForce = InForceRule.Compile();
    private static readonly Func<Disclosure, Guid, DateTimeOffset, bool> GrantsUser = GrantsRule.Compile();

    /// <summary><see cref="GrantsRule"/> for a query: the disclosures in force that <paramref name="userId"/> received.</summary>
    public static Expression<Func<Disclosure, bool>> Granting(Guid userId, DateTimeOffset now) => RuleExpression.Bind(GrantsRule, userId, now);

    public bool IsInForce(DateTimeOffset now) => InForce(this, now);

    public bool Grants(Guid userId, DateTimeOffset now) => GrantsUser(this, userId, now);

    /// <summary>The disclosure itself is seen by socialtjänst's case workers and by the police member it names; by no one else.</summary>
    public bool IsVisibleTo(Guid userId, bool socialServices) => socialServices || ReceivingPoliceUserId == userId;

    internal static Disclosure Create(
        string legalBasis, string justification, IEnumerable<InformationCategory> categories, string decisionMaker,
        Guid receivingPoliceUserId, DateTimeOffset endsAt, IReadOnlyList<string> allowedLegalBases, int maxMonths,
        Guid actorUserId, DateTimeOffset now)
    {
        if (!allowedLegalBases.Contains(legalBasis))
            throw new DomainValidationException("legalBasis", "Rättslig grund saknas i listan över tillåtna grunder.");
        var categoryList = categories.Distinct().ToList();
        if (categoryList.Count == 0)
            throw new DomainValidationException("categories", "Ange vilka uppgifter som lämnas.");
        if (categoryList.Contains(InformationCategory.SocialServicesInternal))
            throw new DomainValidationException("categories", "Socialtjänstens interna uppgifter lämnas inte ut genom systemet.");
        if (endsAt <= now)
            throw new DomainValidationException("endsAt", "Slutdatum måste ligga i framtiden.");
        if (endsAt > SwedishCalendar.AddMonths(now, maxMonths))
            throw new DomainValidationException("endsAt", $"Slutdatum får ligga högst {maxMonths} månader fram; en längre tid är ett nytt beslut.");
        var disclosure = new Disclosure
        {
            Id = Guid.CreateVersion7(now),
            State = DisclosureState.Active,
            LegalBasis = legalBasis,
            Justification = DomainText.Required(justification, "justification", "Motivering saknas.", TextLimits.Justification, multiline: true),
            DecisionMaker = DomainText.Required(decisionMaker, "decisionMaker", "Beslutsfattare saknas.", TextLimits.Reference),
            ReceivingPoliceUserId = receivingPoliceUserId,
            RecordedByUserId = actorUserId,
            DisclosedAt = now,
            EndsAt = endsAt,
        };
        disclosure._categories.AddRange(categoryList);
        return disclosure;
    }

    internal TransitionEvent Revoke(Guid actorUserId, DateTimeOffset now, string? reason)
    {
        var transition = TransitionEvent.Of(WorkflowName, Id, Build(this).Fire(DisclosureTrigger.Revoke), actorUserId, now, reason);
        RevokedAt = now;
        return transition;
    }

    internal static BoundWorkflow<Disclosure, DisclosureState, DisclosureTrigger> Build(Disclosure d) => Machine.Bind(d);

    private static readonly WorkflowMachine<Disclosure, DisclosureState, DisclosureTrigger> Machine =
        new(WorkflowName, d => d.State, (d, s) => d.State = s, (workflow, _) =>
            workflow.Configure(DisclosureState.Active).Permit(DisclosureTrigger.Revoke, DisclosureState.Revoked));
}
