using System.Linq.Expressions;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Cases;

public enum ConsentState
{
    Requested,
    PartiallyGiven,
    Valid,
    Withdrawn,
    Expired,
    Refused,
}

public enum ConsentTrigger
{
    Give,
    Refuse,
    Withdraw,
    Expire,

    /// <summary>A signatory narrows the scope; the state stays (a reentry, recorded in the history).</summary>
    NarrowScope,
}

public enum SignatoryKind
{
    Youth,
    Guardian,
}

public enum ConsentForm
{
    Written,
    Verbal,
}

/// <summary>Who signs: the youth, or one guardian with custody.</summary>
public readonly record struct Signatory(SignatoryKind Kind, Guid? GuardianId)
{
    public static Signatory Youth => new(SignatoryKind.Youth, null);

    public static Signatory Guardian(Guid guardianId) => new(SignatoryKind.Guardian, guardianId);
}

/// <summary>One signatory's answer as the API receives it.</summary>
public sealed record SignatoryAnswer(
    Signatory Signatory,
    bool Given,
    ConsentForm Form,
    Party ObtainedBy,
    string? DocumentRef = null,
    string? VerbalRecordedBy = null);

/// <summary>A recorded answer (child of <see cref="Consent"/>).</summary>
public sealed class ConsentAnswer
{
    private ConsentAnswer()
    {
    }

    public Guid Id { get; private set; }
    public SignatoryKind SignatoryKind { get; private set; }
    public Guid? GuardianId { get; private set; }
    public bool Given { get; private set; }
    public ConsentForm Form { get; private set; }

    /// <summary>Reference to the signed document (Written).</summary>
    public string? DocumentRef { get; private set; }

    /// <summary>Who took the verbal consent (Verbal; personal data).</summary>
    public string? VerbalRecordedBy { get; private set; }

    public Party ObtainedBy { get; private set; }
    public Guid RecordedByUserId { get; private set; }
    public DateTimeOffset AnsweredAt { get; private set; }

    public Signatory Signatory => new(SignatoryKind, GuardianId);

    internal static ConsentAnswer Create(SignatoryAnswer answer, Guid actorUserId, DateTimeOffset now)
    {
        var documentRef = answer.Form == ConsentForm.Written
            ? DomainText.Required(answer.DocumentRef, "documentRef", "Dokumentreferens krävs för skriftligt samtycke.", TextLimits.Reference)
            : null;
        var verbalRecordedBy = answer.Form == ConsentForm.Verbal
            ? DomainText.Required(answer.VerbalRecordedBy, "verbalRecordedBy", "Ange vem som tog emot det muntliga samtycket.", TextLimits.Reference)
            : null;
        return new ConsentAnswer
        {
            Id = Guid.CreateVersion7(now),
            SignatoryKind = answer.Signatory.Kind,
            GuardianId = answer.Signatory.GuardianId,
            Given = answer.Given,
            Form = answer.Form,
            DocumentRef = documentRef,
            VerbalRecordedBy = verbalRecordedBy,
            ObtainedBy = answer.ObtainedBy,
            RecordedByUserId = actorUserId,
            AnsweredAt = now,
        };
    }
}

/// <summary>
/// Samtycke: lifts secrecy between the parties in <see cref="Parties"/> for the <see cref="Categories"/>.
/// Changed only through <see cref="Case"/>, which knows the signatories.
/// </summary>
public sealed class Consent
{
    public const string WorkflowName = nameof(Consent);

    private readonly List<Party> _parties = [];
    private readonly List<InformationCategory> _categories = [];
    private readonly List<ConsentAnswer> _answers = [];

    private Consent()
    {
    }

    public static WorkflowDescription Definition => Machine.Describe();

    public Guid Id { get; private set; }
    public ConsentState State { get; private set; }
    public IReadOnlyCollection<Party> Parties => _parties;
    public IReadOnlyCollection<InformationCategory> Categories => _categories;
    public IReadOnlyCollection<ConsentAnswer> Answers => _answers;
    public int ValidityMonths { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public Guid RequestedByUserId { get; private set; }
    public DateTimeOffset? ValidFrom { get; private set; }
    public DateTimeOffset? ValidTo { get; private set; }
    public DateTimeOffset? ScopeNarrowedAt { get; private set; }

    /// <summary>Valid and not past its end: the consent shares information right now. The one definition, for SQL and memory.</summary>
    public static readonly Expression<Func<Consent, DateTimeOffset, bool>> InForceRule =
        (c, now) => c.State == ConsentState.Valid && now < c.ValidTo;

    /// <summary>In force and naming the party: the party's members may see what it shares.</summary>
    public static readonly Expression<Func<Consent, Party, DateTimeOffset, bool>> CoversRule =
        RuleExpression.And<Consent, DateTimeOffset, Party>(InForceRule, (c, party) => c.Parties.Contains(party));

    private static readonly Func<Consent, DateTimeOffset, bool> InForce = InForceRule.Compile();
    private static readonly Func<Consent, Party, DateTimeOffset, bool> CoversParty = CoversRule.Compile();

    /// <summary><see cref="CoversRule"/> for a query: the consents covering <paramref name="party"/> at <paramref name="now"/>.</summary>
    public static Expression<Func<Consent, bool>> Covering(Party party, DateTimeOffset now) => RuleExpression.Bind(CoversRule, party, now);

    public bool IsInForce(DateTimeOffset now) => InForce(this, now);

    public bool Covers(Party party, DateTimeOffset now) => CoversParty(this, party, now);

    public IReadOnlyList<ConsentTrigger> PermittedTriggers(DateTimeOffset now) => Build(this, now, []).PermittedTriggers;

    internal static Consent Request(
        IEnumerable<Party> parties, IEnumerable<InformationCategory> categories, int validityMonths,
        Guid actorUserId, DateTimeOffset now)
    {
        var consent = new Consent
        {
            Id = Guid.CreateVersion7(now),
            State = ConsentState.Requested,
            ValidityMonths = validityMonths,
            RequestedAt = now,
            RequestedByUserId = actorUserId,
        };
        consent.SetScope(parties, categories);
        return consent;
    }

    /// <summary>Records one answer and fires Give or Refuse; <paramref name="required"/> follows the youth's age today.</summary>
    internal TransitionEvent Answer(SignatoryAnswer input, IReadOnlyCollection<Signatory> required, Guid actorUserId, DateTimeOffset now)
    {
        if (_answers.Any(a => a.Signatory == input.Signatory))
            throw new DomainRuleException("AlreadyAnswered", "Undertecknaren har redan svarat på samtycket.");
        var answer = ConsentAnswer.Create(input, actorUserId, now);
        _answers.Add(answer);
        try
        {
            return Fire(input.Given ? ConsentTrigger.Give : ConsentTrigger.Refuse, required, actorUserId, now, null);
        }
        catch (TransitionRefusedException)
        {
            _answers.Remove(answer);
            throw;
        }
    }

    internal TransitionEvent Withdraw(Guid actorUserId, DateTimeOffset now, string? reason) =>
        Fire(State is ConsentState.Requested or ConsentState.PartiallyGiven ? ConsentTrigger.Refuse : ConsentTrigger.Withdraw, [], actorUserId, now, reason);

    internal TransitionEvent Expire(DateTimeOffset now) => Fire(ConsentTrigger.Expire, [], TransitionEvent.SystemActor, now, null);

    internal TransitionEvent NarrowScope(IEnumerable<Party> parties, IEnumerable<InformationCategory> categories, Guid actorUserId, DateTimeOffset now)
    {
        // Refused (409) unless the consent is still pending or valid; the reentry changes nothing until the scope is set.
        var transition = Fire(ConsentTrigger.NarrowScope, [], actorUserId, now, null);
        var newParties = parties.Distinct().ToList();
        var newCategories = categories.Distinct().ToList();
        if (newParties.Except(_parties).Any() || newCategories.Except(_categories).Any())
            throw new DomainRuleException("ScopeCanOnlyNarrow", "Samtyckets omfattning kan bara begränsas; en utvidgning kräver nytt samtycke.");
        SetScope(newParties, newCategories);
        ScopeNarrowedAt = now;
        return transition;
    }

    private void SetScope(IEnumerable<Party> parties, IEnumerable<InformationCategory> categories)
    {
        var partyList = parties.Distinct().ToList();
        var categoryList = categories.Distinct().ToList();
        if (partyList.Count == 0)
            throw new DomainValidationException("parties", "Samtycket måste omfatta minst en aktör.");
        if (categoryList.Count == 0)
            throw new DomainValidationException("categories", "Samtycket måste omfatta minst en informationskategori.");
        if (categoryList.Contains(InformationCategory.SocialServicesInternal))
            throw new DomainValidationException("categories", "Socialtjänstens interna uppgifter kan aldrig delas genom samtycke.");
        _parties.Clear();
        _parties.AddRange(partyList);
        _categories.Clear();
        _categories.AddRange(categoryList);
    }

    private TransitionEvent Fire(ConsentTrigger trigger, IReadOnlyCollection<Signatory> required, Guid actorUserId, DateTimeOffset now, string? reason) =>
        TransitionEvent.Of(WorkflowName, Id, Build(this, now, required).Fire(trigger), actorUserId, now, reason);

    private bool AllGiven(IReadOnlyCollection<Signatory> required) =>
        required.All(s => _answers.Any(a => a.Signatory == s && a.Given));

    internal static BoundWorkflow<(Consent Consent, DateTimeOffset Now, IReadOnlyCollection<Signatory> Required), ConsentState, ConsentTrigger> Build(
        Consent c, DateTimeOffset now, IReadOnlyCollection<Signatory> required) => Machine.Bind((c, now, required));

    private static readonly WorkflowMachine<(Consent Consent, DateTimeOffset Now, IReadOnlyCollection<Signatory> Required), ConsentState, ConsentTrigger> Machine =
        new(WorkflowName, x => x.Consent.State, (x, s) => x.Consent.State = s, (workflow, bound) =>
    {
        const string allGiven = "Alla undertecknare har gett sitt samtycke";
        const string someMissing = "Samtycke saknas från någon undertecknare";
        workflow.Configure(ConsentState.Requested)
            .PermitIf(ConsentTrigger.Give, ConsentState.Valid, () => bound().Consent.AllGiven(bound().Required), allGiven)
            .PermitIf(ConsentTrigger.Give, ConsentState.PartiallyGiven, () => !bound().Consent.AllGiven(bound().Required), someMissing)
            .Permit(ConsentTrigger.Refuse, ConsentState.Refused)
            .PermitReentry(ConsentTrigger.NarrowScope);
        workflow.Configure(ConsentState.PartiallyGiven)
            .PermitIf(ConsentTrigger.Give, ConsentState.Valid, () => bound().Consent.AllGiven(bound().Required), allGiven)
            .PermitReentryIf(ConsentTrigger.Give, () => !bound().Consent.AllGiven(bound().Required), someMissing)
            .Permit(ConsentTrigger.Refuse, ConsentState.Refused)
            .PermitReentry(ConsentTrigger.NarrowScope);
        workflow.Configure(ConsentState.Valid)
            .OnEntryFrom(ConsentTrigger.Give, () =>
            {
                var (c, now, _) = bound();
                c.ValidFrom = now;
                c.ValidTo = SwedishCalendar.AddMonths(now, c.ValidityMonths);
            }, "Giltighetstiden börjar") // only when given: narrowing the scope (a reentry) keeps the validity
            .Permit(ConsentTrigger.Withdraw, ConsentState.Withdrawn)
            .PermitIf(ConsentTrigger.Expire, ConsentState.Expired, () => bound().Now >= bound().Consent.ValidTo, "Giltighetstiden har löpt ut")
            .PermitReentry(ConsentTrigger.NarrowScope);
    });
}
