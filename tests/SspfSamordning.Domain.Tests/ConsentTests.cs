using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.Workflows;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public class ConsentTests
{
    private const string AllGiven = "Alla undertecknare har gett sitt samtycke";

    private static readonly Edge<ConsentState, ConsentTrigger>[] Table =
    [
        new(ConsentState.Requested, ConsentTrigger.Give, ConsentState.PartiallyGiven),
        new(ConsentState.Requested, ConsentTrigger.Give, ConsentState.Valid, AllGiven),
        new(ConsentState.Requested, ConsentTrigger.Refuse, ConsentState.Refused),
        new(ConsentState.PartiallyGiven, ConsentTrigger.Give, ConsentState.PartiallyGiven),
        new(ConsentState.PartiallyGiven, ConsentTrigger.Give, ConsentState.Valid, AllGiven),
        new(ConsentState.PartiallyGiven, ConsentTrigger.Refuse, ConsentState.Refused),
        new(ConsentState.Valid, ConsentTrigger.Withdraw, ConsentState.Withdrawn),
        new(ConsentState.Valid, ConsentTrigger.Expire, ConsentState.Expired, "Giltighetstiden har löpt ut"),
        new(ConsentState.Requested, ConsentTrigger.NarrowScope, ConsentState.Requested),
        new(ConsentState.PartiallyGiven, ConsentTrigger.NarrowScope, ConsentState.PartiallyGiven),
        new(ConsentState.Valid, ConsentTrigger.NarrowScope, ConsentState.Valid),
    ];

    public static TheoryData<ConsentState, ConsentTrigger> Pairs => TransitionTable.AllPairs<ConsentState, ConsentTrigger>();

    private static (Case, Consent) ConsentIn(ConsentState state)
    {
        var @case = NewCase();
        var consent = state is ConsentState.Valid or ConsentState.Withdrawn or ConsentState.Expired
            ? GiveValidConsent(@case)
            : RequestConsent(@case);
        switch (state)
        {
            case ConsentState.PartiallyGiven:
                @case.AnswerConsent(consent.Id, Gives(FirstGuardian(@case)), SocialWorker, Now, Rules);
                break;
            case ConsentState.Refused:
                @case.AnswerConsent(consent.Id, Refuses(FirstGuardian(@case)), SocialWorker, Now, Rules);
                break;
            case ConsentState.Withdrawn:
                @case.WithdrawConsent(consent.Id, Signatory.Youth, null, SocialWorker, Now);
                break;
            case ConsentState.Expired:
                @case.AdvanceTime(consent.ValidTo!.Value);
                break;
        }
        return (@case, consent);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fire_EveryStateAndTrigger_FollowsTheTransitionTable(ConsentState state, ConsentTrigger trigger)
    {
        var (@case, consent) = ConsentIn(state);

        TransitionTable.Verify(Table, state, trigger, Consent.Build(consent, Now, @case.RequiredSignatories(Now)));
    }

    [Fact]
    public void Definition_HoldsExactlyTheTransitionTable() => TransitionTable.VerifyDefinition(Table, Consent.Definition);

    [Theory]
    [InlineData(14, 2, false)]
    [InlineData(15, 2, true)]
    [InlineData(17, 2, true)]
    [InlineData(18, 0, true)]
    public void RequiredSignatories_FollowTheYouthsAgeOnTheDayOfSigning(int age, int guardians, bool youth)
    {
        var required = NewCase(age).RequiredSignatories(Now);

        Assert.Equal(guardians, required.Count(s => s.Kind == SignatoryKind.Guardian));
        Assert.Equal(youth, required.Contains(Signatory.Youth));
    }

    [Fact]
    public void RequiredSignatories_OnFifteenthBirthday_IncludeTheYouthButNotTheDayBefore()
    {
        var @case = NewCase(birthDate: Today.AddYears(-15));

        Assert.Contains(Signatory.Youth, @case.RequiredSignatories(Now));
        Assert.DoesNotContain(Signatory.Youth, @case.RequiredSignatories(Now.AddDays(-1)));
    }

    [Fact]
    public void RequiredSignatories_UseSwedishDateNotUtcDate()
    {
        var @case = NewCase(birthDate: Today.AddYears(-18));
        var justAfterSwedishMidnight = new DateTimeOffset(Today.ToDateTime(new TimeOnly(0, 30)), TimeSpan.FromHours(1)).ToUniversalTime();

        Assert.Equal([Signatory.Youth], @case.RequiredSignatories(justAfterSwedishMidnight));
    }

    [Fact]
    public void AnswerConsent_WhenYouthTurnsFifteenBetweenSignatures_AlsoRequiresTheYouth()
    {
        var @case = NewCase(birthDate: Today.AddYears(-15));
        var dayBefore = Now.AddDays(-1);
        var consent = RequestConsent(@case, dayBefore);
        var guardians = @case.Guardians.Where(g => g.HasCustody).Select(g => Signatory.Guardian(g.Id)).ToList();
        @case.AnswerConsent(consent.Id, Gives(guardians[0]), SocialWorker, dayBefore, Rules);

        @case.AnswerConsent(consent.Id, Gives(guardians[1]), SocialWorker, Now, Rules);
        Assert.Equal(ConsentState.PartiallyGiven, consent.State);

        @case.AnswerConsent(consent.Id, Gives(Signatory.Youth), SocialWorker, Now, Rules);
        Assert.Equal(ConsentState.Valid, consent.State);
    }

    [Fact]
    public void AnswerConsent_ByGuardianOfEighteenYearOld_IsRefusedBecauseItNoLongerCounts()
    {
        var @case = NewCase(18);
        var consent = RequestConsent(@case);

        var error = Assert.Throws<DomainRuleException>(() => @case.AnswerConsent(consent.Id, Gives(FirstGuardian(@case)), SocialWorker, Now, Rules));

        Assert.Equal("NotASignatory", error.Code);
        Assert.Contains("18 år", error.Message);
        Assert.Empty(consent.Answers);
    }

    [Fact]
    public void AnswerConsent_ByEighteenYearOldAlone_MakesConsentValid()
    {
        var @case = NewCase(18);
        var consent = RequestConsent(@case);

        @case.AnswerConsent(consent.Id, Gives(Signatory.Youth), SocialWorker, Now, Rules);

        Assert.Equal(ConsentState.Valid, consent.State);
        Assert.Equal(CaseState.Active, @case.State);
    }

    [Fact]
    public void AnswerConsent_ByYouthUnderFifteen_IsRefused()
    {
        var @case = NewCase(14);
        var consent = RequestConsent(@case);

        var error = Assert.Throws<DomainRuleException>(() => @case.AnswerConsent(consent.Id, Gives(Signatory.Youth), SocialWorker, Now, Rules));

        Assert.Contains("under 15", error.Message);
    }

    [Fact]
    public void AnswerConsent_ByGuardianWithoutCustody_IsRefused()
    {
        var @case = NewCase();
        var consent = RequestConsent(@case);
        var bonus = Signatory.Guardian(@case.Guardians.Single(g => !g.HasCustody).Id);

        Assert.Equal("NotASignatory", Assert.Throws<DomainRuleException>(() => @case.AnswerConsent(consent.Id, Gives(bonus), SocialWorker, Now, Rules)).Code);
    }

    [Fact]
    public void AnswerConsent_WithOneGuardianWithCustodyUnderFifteen_IsValidAfterOneAnswer()
    {
        var @case = NewCase(13, guardiansWithCustody: 1);
        var consent = RequestConsent(@case);

        @case.AnswerConsent(consent.Id, Gives(FirstGuardian(@case)), SocialWorker, Now, Rules);

        Assert.Equal(ConsentState.Valid, consent.State);
    }

    [Fact]
    public void RequiredSignatories_UnderEighteenWithoutGuardianWithCustody_IsARuleError()
    {
        Assert.Equal("NoGuardianWithCustody", Assert.Throws<DomainRuleException>(() => NewCase(16, guardiansWithCustody: 0).RequiredSignatories(Now)).Code);
    }

    [Fact]
    public void AnswerConsent_UntilEverySignatoryHasGiven_StaysPartiallyGiven()
    {
        var @case = NewCase(16);
        var consent = RequestConsent(@case);
        var required = @case.RequiredSignatories(Now);

        @case.AnswerConsent(consent.Id, Gives(required[0]), SocialWorker, Now, Rules);
        @case.AnswerConsent(consent.Id, Gives(required[1]), SocialWorker, Now, Rules);

        Assert.Equal(ConsentState.PartiallyGiven, consent.State);
        Assert.Equal(CaseState.AwaitingConsent, @case.State);
    }

    [Fact]
    public void AnswerConsent_TwiceBySameSignatory_IsRefused()
    {
        var @case = NewCase();
        var consent = RequestConsent(@case);
        @case.AnswerConsent(consent.Id, Gives(Signatory.Youth), SocialWorker, Now, Rules);

        Assert.Equal("AlreadyAnswered", Assert.Throws<DomainRuleException>(() => @case.AnswerConsent(consent.Id, Gives(Signatory.Youth), SocialWorker, Now, Rules)).Code);
    }

    [Fact]
    public void AnswerConsent_WhenConsentAlreadyValid_IsRefusedAndNotRecorded()
    {
        // One custodian gave consent; a second custodian is registered afterwards (at most two may hold custody).
        var @case = NewCase(guardiansWithCustody: 1);
        var consent = GiveValidConsent(@case);
        var newGuardian = Guardian.Create("Ny", "Vårdnadshavare", hasCustody: true, Today);
        @case.AddGuardian(newGuardian);
        var answers = consent.Answers.Count;

        var refused = Assert.Throws<TransitionRefusedException>(() =>
            @case.AnswerConsent(consent.Id, Gives(Signatory.Guardian(newGuardian.Id)), SocialWorker, Now, Rules));

        Assert.Equal("Valid", refused.CurrentState);
        Assert.Equal(["Withdraw", "NarrowScope"], refused.PermittedTriggers);
        Assert.Equal(answers, consent.Answers.Count);
    }

    [Theory]
    [InlineData(ConsentForm.Written, "documentRef")]
    [InlineData(ConsentForm.Verbal, "verbalRecordedBy")]
    public void AnswerConsent_WithoutEvidenceOfTheForm_IsAValidationError(ConsentForm form, string field)
    {
        var @case = NewCase();
        var consent = RequestConsent(@case);

        var error = Assert.Throws<DomainValidationException>(() =>
            @case.AnswerConsent(consent.Id, new SignatoryAnswer(Signatory.Youth, true, form, Party.Skola), SocialWorker, Now, Rules));

        Assert.Equal([field], error.Errors.Keys);
    }

    [Fact]
    public void AnswerConsent_RecordsFormEvidenceAndWhoObtainedIt()
    {
        var @case = NewCase();
        var consent = RequestConsent(@case);

        @case.AnswerConsent(consent.Id, Refuses(Signatory.Youth), Teacher, Now, Rules);

        var answer = Assert.Single(consent.Answers);
        Assert.Equal((false, ConsentForm.Verbal, "Mentor Eva", Party.Skola, Teacher), (answer.Given, answer.Form, answer.VerbalRecordedBy, answer.ObtainedBy, answer.RecordedByUserId));
    }

    [Fact]
    public void RequestConsent_CreatesUnansweredDeadlineFourteenDaysAhead()
    {
        var @case = NewCase();

        var consent = RequestConsent(@case);

        var deadline = Assert.Single(@case.Deadlines);
        Assert.Equal((DeadlineKind.ConsentUnanswered, consent.Id, Now.AddDays(14), DeadlineState.Open, Coordinator),
            (deadline.Kind, deadline.SubjectId, deadline.DueAt, deadline.State, deadline.EscalateToUserId));
    }

    [Fact]
    public void Valid_SetsTwelveMonthValidityCompletesUnansweredDeadlineAndRemindsThirtyDaysBeforeExpiry()
    {
        var @case = NewCase();

        var consent = GiveValidConsent(@case);

        Assert.Equal(Now, consent.ValidFrom);
        Assert.Equal(Now.AddMonths(12), consent.ValidTo);
        Assert.Equal(DeadlineState.Completed, @case.Deadlines.Single(d => d.Kind == DeadlineKind.ConsentUnanswered).State);
        var expiring = @case.Deadlines.Single(d => d.Kind == DeadlineKind.ConsentExpiring);
        Assert.Equal((Now.AddMonths(12), Now.AddMonths(12).AddDays(-30), DeadlineState.Open), (expiring.DueAt, expiring.RemindAt, expiring.State));
    }

    [Fact]
    public void Validity_IsConfigurable()
    {
        var @case = NewCase();
        var consent = @case.RequestConsent(AllSharedParties, AllSharedCategories, Coordinator, Now, Rules with { ConsentValidityMonths = 6 });
        foreach (var signatory in @case.RequiredSignatories(Now))
            @case.AnswerConsent(consent.Id, Gives(signatory), SocialWorker, Now, Rules);

        // Six calendar months on a Swedish clock: 09:00 summer time, not 09:00 winter time carried over.
        Assert.Equal(Swedish(2026, 9, 10), consent.ValidTo);
    }

    [Fact]
    public void RequestConsent_IncludingSocialServicesInternal_IsAValidationError()
    {
        var @case = NewCase();

        var error = Assert.Throws<DomainValidationException>(() =>
            @case.RequestConsent(AllSharedParties, [InformationCategory.SocialServicesInternal], Coordinator, Now, Rules));

        Assert.Equal(["categories"], error.Errors.Keys);
    }

    [Fact]
    public void NarrowScope_RemovesPartyAccessImmediately()
    {
        var @case = ActiveCase();
        var consent = @case.Consents.Single();
        var (validFrom, validTo) = (consent.ValidFrom, consent.ValidTo);

        @case.NarrowConsentScope(consent.Id, [Party.Skola, Party.Socialtjanst], [InformationCategory.Basic], Signatory.Youth, SocialWorker, Now.AddDays(1));

        Assert.Equal((validFrom, validTo), (consent.ValidFrom, consent.ValidTo)); // the reentry into Valid does not restart the validity

        Assert.Empty(@case.VisibleCategories(PoliceOfficer, Party.Polis, Now.AddDays(1)));
        Assert.Equal([InformationCategory.Basic], @case.VisibleCategories(Teacher, Party.Skola, Now.AddDays(1)));
        Assert.Equal(ConsentState.Valid, consent.State);
        var narrowed = @case.History.Last();
        Assert.Equal(("Consent", consent.Id, "NarrowScope", "Valid", "Valid", SocialWorker, Now.AddDays(1)),
            (narrowed.Workflow, narrowed.SubjectId, narrowed.Trigger, narrowed.From, narrowed.To, narrowed.ActorUserId, narrowed.At));
    }

    [Fact]
    public void NarrowScope_OfAWithdrawnConsent_IsRefusedByTheWorkflowAndRecordsNothing()
    {
        var @case = ActiveCase();
        var consent = @case.Consents.Single();
        @case.WithdrawConsent(consent.Id, Signatory.Youth, null, Coordinator, Now);
        var history = @case.History.Count;

        var refused = Assert.Throws<TransitionRefusedException>(() =>
            @case.NarrowConsentScope(consent.Id, [Party.Skola], [InformationCategory.Basic], Signatory.Youth, SocialWorker, Now));

        Assert.Equal(("Withdrawn", "NarrowScope"), (refused.CurrentState, refused.Trigger));
        Assert.Equal(history, @case.History.Count);
        Assert.Contains(Party.Polis, consent.Parties);
    }

    [Fact]
    public void NarrowScope_ThatWidens_IsRefused()
    {
        var @case = NewCase();
        var consent = GiveValidConsent(@case, parties: [Party.Skola]);

        var error = Assert.Throws<DomainRuleException>(() =>
            @case.NarrowConsentScope(consent.Id, [Party.Skola, Party.Polis], [InformationCategory.Basic], Signatory.Youth, SocialWorker, Now));

        Assert.Equal("ScopeCanOnlyNarrow", error.Code);
        Assert.DoesNotContain(@case.History, e => e.Trigger == "NarrowScope");
    }

    [Fact]
    public void Withdraw_WhilePending_RefusesTheConsentAndDeclinesTheCase()
    {
        var @case = NewCase();
        var consent = RequestConsent(@case);

        @case.WithdrawConsent(consent.Id, FirstGuardian(@case), "Ångrar sig", SocialWorker, Now);

        Assert.Equal(ConsentState.Refused, consent.State);
        Assert.Equal(CaseState.Declined, @case.State);
    }

    [Fact]
    public void Withdraw_ByGuardianWithoutCustody_IsRefused()
    {
        var @case = ActiveCase();
        var bonus = Signatory.Guardian(@case.Guardians.Single(g => !g.HasCustody).Id);

        Assert.Throws<DomainRuleException>(() => @case.WithdrawConsent(@case.Consents.Single().Id, bonus, null, SocialWorker, Now));
        Assert.Equal(CaseState.Active, @case.State);
    }

    [Fact]
    public void Withdraw_WhenAlreadyWithdrawn_IsRefusedAsTransition()
    {
        var (@case, consent) = ConsentIn(ConsentState.Withdrawn);

        var refused = Assert.Throws<TransitionRefusedException>(() => @case.WithdrawConsent(consent.Id, Signatory.Youth, null, SocialWorker, Now));

        Assert.Equal(("Consent", "Withdrawn", "Withdraw"), (refused.Workflow, refused.CurrentState, refused.Trigger));
    }
}

/// <summary>Issue 16: the rule expressions bound for a query decide as the aggregate's own methods do.</summary>
public sealed class RuleExpressionTests
{
    [Fact]
    public void ConsentCovering_AsAQueryOverConsents_AgreesWithCovers_AtEveryMoment()
    {
        var @case = ActiveCase();
        var consent = Assert.Single(@case.Consents);
        foreach (var at in new[] { Now.AddDays(-1), Now, consent.ValidTo!.Value.AddTicks(-1), consent.ValidTo.Value })
            foreach (var party in Enum.GetValues<Party>())
                Assert.Equal(consent.Covers(party, at), @case.Consents.AsQueryable().Any(Consent.Covering(party, at)));
        Assert.True(consent.Covers(Party.Polis, Now));
        Assert.False(consent.Covers(Party.Polis, consent.ValidTo.Value));
    }
}
