using SspfSamordning.Domain.Cases;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public class DisclosureTests
{
    private const string LegalBasis = "OSL 10 kap. 18 a §";
    private static readonly DateTimeOffset EndsAt = Now.AddMonths(3);

    private static readonly Edge<DisclosureState, DisclosureTrigger>[] Table =
    [
        new(DisclosureState.Active, DisclosureTrigger.Revoke, DisclosureState.Revoked),
    ];

    public static TheoryData<DisclosureState, DisclosureTrigger> Pairs => TransitionTable.AllPairs<DisclosureState, DisclosureTrigger>();

    private static Disclosure Disclose(Case @case, Party actorParty = Party.Socialtjanst, Guid? receiver = null, string legalBasis = LegalBasis) =>
        @case.DiscloseWithoutConsent(
            legalBasis, "Risk för fortsatt brottslighet", [InformationCategory.Basic, InformationCategory.SocialServicesSspfNotes],
            "Enhetschef Lena", receiver ?? PoliceOfficer, EndsAt, SocialWorker, actorParty, Now, Rules);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fire_EveryStateAndTrigger_FollowsTheTransitionTable(DisclosureState state, DisclosureTrigger trigger)
    {
        var @case = NewCase();
        var disclosure = Disclose(@case);
        if (state == DisclosureState.Revoked)
            @case.RevokeDisclosure(disclosure.Id, null, SocialWorker, Party.Socialtjanst, Now);

        TransitionTable.Verify(Table, state, trigger, Disclosure.Build(disclosure));
    }

    [Fact]
    public void Definition_HoldsExactlyTheTransitionTable() => TransitionTable.VerifyDefinition(Table, Disclosure.Definition);

    [Fact]
    public void Disclose_WithoutConsent_GivesOnlyTheReceivingPoliceMemberTheDisclosedCategoriesUntilEnd()
    {
        var @case = NewCase();
        var otherOfficer = Guid.NewGuid();
        @case.AddMember(otherOfficer, Party.Polis, Coordinator, Now);

        Disclose(@case);

        var expected = new HashSet<InformationCategory> { InformationCategory.Basic, InformationCategory.SocialServicesSspfNotes };
        Assert.Equal(expected, @case.VisibleCategories(PoliceOfficer, Party.Polis, Now));
        Assert.Empty(@case.VisibleCategories(otherOfficer, Party.Polis, Now));
        Assert.Empty(@case.VisibleCategories(Teacher, Party.Skola, Now));
        Assert.Empty(@case.VisibleCategories(PoliceOfficer, Party.Polis, EndsAt));
    }

    [Fact]
    public void EndsAt_MayLieAtMostTheConfiguredMonthsAhead_NotUntilYear9999()
    {
        var @case = NewCase();
        Disclosure At(DateTimeOffset endsAt) => @case.DiscloseWithoutConsent(LegalBasis, "Risk för fortsatt brottslighet",
            [InformationCategory.Basic], "Enhetschef Lena", PoliceOfficer, endsAt, SocialWorker, Party.Socialtjanst, Now, Rules);

        foreach (var tooLate in new[] { Now.AddMonths(Rules.DisclosureMaxMonths).AddMinutes(1), DateTimeOffset.MaxValue.AddDays(-1) })
            Assert.Equal("endsAt", Assert.Single(Assert.Throws<DomainValidationException>(() => At(tooLate)).Errors).Key);
        Assert.Empty(@case.Disclosures);
        Assert.Equal(Now.AddMonths(Rules.DisclosureMaxMonths), At(Now.AddMonths(Rules.DisclosureMaxMonths)).EndsAt);
    }

    [Fact]
    public void Revoke_EndsTheAccessAtOnce()
    {
        var @case = NewCase();
        var disclosure = Disclose(@case);

        @case.RevokeDisclosure(disclosure.Id, "Felaktigt beslut", SocialWorker, Party.Socialtjanst, Now.AddDays(1));

        Assert.Equal(DisclosureState.Revoked, disclosure.State);
        Assert.Empty(@case.VisibleCategories(PoliceOfficer, Party.Polis, Now.AddDays(1)));
        Assert.Contains(@case.History, e => e is { Workflow: "Disclosure", Trigger: "Revoke", Reason: "Felaktigt beslut" });
    }

    [Theory]
    [InlineData(Party.Skola)]
    [InlineData(Party.Polis)]
    public void Disclose_ByAnyoneButSocialServices_IsRefused(Party party)
    {
        Assert.Equal("OnlySocialServices", Assert.Throws<DomainRuleException>(() => Disclose(NewCase(), party)).Code);
    }

    [Fact]
    public void Revoke_ByAnyoneButSocialServices_IsRefused()
    {
        var @case = NewCase();
        var disclosure = Disclose(@case);

        Assert.Throws<DomainRuleException>(() => @case.RevokeDisclosure(disclosure.Id, null, Teacher, Party.Skola, Now));
    }

    [Fact]
    public void Disclose_ToSomeoneWhoIsNotAPoliceMember_IsRefused()
    {
        Assert.Equal("ReceiverNotPoliceMember", Assert.Throws<DomainRuleException>(() => Disclose(NewCase(), receiver: Teacher)).Code);
    }

    [Fact]
    public void Disclose_WithLegalBasisOutsideTheConfiguredList_IsAValidationError()
    {
        var error = Assert.Throws<DomainValidationException>(() => Disclose(NewCase(), legalBasis: "Godtycke"));

        Assert.Equal(["legalBasis"], error.Errors.Keys);
    }

    [Fact]
    public void Disclose_AboutPersonAged21_IsRefused()
    {
        Assert.Equal("YouthNotUnder21", Assert.Throws<DomainRuleException>(() => Disclose(NewCase(21))).Code);
    }

    [Fact]
    public void Disclose_IsRecordedWithItsDecisionData()
    {
        var disclosure = Disclose(NewCase());

        Assert.Equal((LegalBasis, "Enhetschef Lena", PoliceOfficer, Now, EndsAt, SocialWorker),
            (disclosure.LegalBasis, disclosure.DecisionMaker, disclosure.ReceivingPoliceUserId, disclosure.DisclosedAt, disclosure.EndsAt, disclosure.RecordedByUserId));
    }
}
