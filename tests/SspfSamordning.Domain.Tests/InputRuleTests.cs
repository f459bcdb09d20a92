using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

/// <summary>Issue 15: every text has a limit and no control characters; people and parties are bounded and distinct.</summary>
public class InputRuleTests
{
    private static string Field(DomainValidationException e) => Assert.Single(e.Errors.Keys);

    [Theory]
    [InlineData(TextLimits.Name, true)]
    [InlineData(TextLimits.Name + 1, false)]
    public void Youth_NameLongerThanTheLimit_IsAValidationErrorNamingTheField(int length, bool accepted)
    {
        var name = new string('Å', length);
        if (accepted)
        {
            Assert.Equal(name, Youth.Create(TestPersonnummer.For(BornYearsAgo(15)), name, "Andersson", Today).GivenName);
            return;
        }
        var error = Assert.Throws<DomainValidationException>(() => Youth.Create(TestPersonnummer.For(BornYearsAgo(15)), name, "Andersson", Today));
        Assert.Equal("givenName", Field(error));
        Assert.Contains("högst 100 tecken", error.Errors["givenName"][0]);
    }

    [Theory]
    [InlineData("Kim\0")]
    [InlineData("Kim\u0007")]
    [InlineData("Kim\nAndersson")]
    [InlineData("Kim\u009b")]
    public void SingleLineText_WithControlCharacters_IsRefused(string name) =>
        Assert.Equal("givenName", Field(Assert.Throws<DomainValidationException>(() =>
            Youth.Create(TestPersonnummer.For(BornYearsAgo(15)), name, "Andersson", Today))));

    [Fact]
    public void Text_WithALoneSurrogate_IsRefused_AndAPairIsKept()
    {
        Assert.Equal("familyName", Field(Assert.Throws<DomainValidationException>(() =>
            Youth.Create(TestPersonnummer.For(BornYearsAgo(15)), "Kim", "Berg" + (char)0xD800, Today))));
        Assert.Equal("Berg😀", Youth.Create(TestPersonnummer.For(BornYearsAgo(15)), "Kim", "Berg😀", Today).FamilyName);
    }

    [Fact]
    public void MultiLineText_KeepsLineBreaksAndTabs_ButRefusesNul()
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Mapping, Now.AddDays(1), "Stadshuset", [], Coordinator, Now, Rules);
        Assert.Equal("location", Field(Assert.Throws<DomainValidationException>(() =>
            @case.ScheduleMeeting(MeetingKind.Mapping, Now.AddDays(1), "Rum\n2", [], Coordinator, Now, Rules))));
        Assert.Equal("minutes", Field(Assert.Throws<DomainValidationException>(() =>
            @case.RecordMeetingHeld(meeting.Id, [], true, [], "Punkt 1\0", Coordinator, Now.AddDays(1), Rules))));
        @case.RecordMeetingHeld(meeting.Id, [], true, [], "Punkt 1\r\n\tPunkt 2", Coordinator, Now.AddDays(1), Rules);
        Assert.Equal("Punkt 1\r\n\tPunkt 2", meeting.Minutes);
        Assert.Equal("minutes", Field(Assert.Throws<DomainValidationException>(() => @case.UpdateMinutes(meeting.Id, new string('x', TextLimits.Minutes + 1), Coordinator, Now))));
        @case.UpdateMinutes(meeting.Id, new string('x', TextLimits.Minutes), Coordinator, Now);
    }

    [Fact]
    public void EveryFreeTextOfTheCase_HasALimitNamingItsField()
    {
        var @case = CaseWithActionPlan(out var intervention);
        var meeting = @case.Meetings.Single();
        var followUp = @case.FollowUps.Single();
        string Over(int limit) => new('a', limit + 1);

        Assert.Equal("goals", Field(Assert.Throws<DomainValidationException>(() => @case.SetActionPlan(meeting.Id, Over(TextLimits.ActionPlanGoals), Coordinator, Now.AddDays(1), Rules))));
        Assert.Equal("goal", Field(Assert.Throws<DomainValidationException>(() => @case.ProposeIntervention(
            InterventionType.Mentor, Party.Skola, Teacher, Over(TextLimits.InterventionGoal), null, null, false, Now.AddDays(1)))));
        Assert.Equal("overallAssessment", Field(Assert.Throws<DomainValidationException>(() => @case.CompleteFollowUp(
            followUp.Id, new Dictionary<Guid, string> { [intervention.Id] = "Bra" }, Over(TextLimits.Assessment), Coordinator, Now.AddDays(2), Rules))));
        Assert.Equal($"assessments[{intervention.Id}]", Field(Assert.Throws<DomainValidationException>(() => @case.CompleteFollowUp(
            followUp.Id, new Dictionary<Guid, string> { [intervention.Id] = Over(TextLimits.Assessment) }, "Bra", Coordinator, Now.AddDays(2), Rules))));
        Assert.Equal("reason", Field(Assert.Throws<DomainValidationException>(() => @case.CancelIntervention(intervention.Id, Over(TextLimits.Reason + 32), Coordinator, Now.AddDays(2)))));
        Assert.Equal("outcomeComment", Field(Assert.Throws<DomainValidationException>(() =>
            @case.CompleteIntervention(intervention.Id, InterventionOutcome.Achieved, Over(TextLimits.OutcomeComment), Coordinator, Now.AddDays(2)))));
        Assert.Equal(InterventionState.Ongoing, intervention.State);
        Assert.Equal("closeComment", Field(Assert.Throws<DomainValidationException>(() => @case.Close(CloseReason.Other, Over(TextLimits.CloseComment), Coordinator, Now.AddDays(2), Rules))));
        Assert.Equal(CaseState.Active, @case.State);
    }

    [Theory]
    [InlineData("anna@example.se", true)]
    [InlineData("anna.berg+sspf@kommun.example.se", true)]
    [InlineData("anna", false)]
    [InlineData("anna@", false)]
    [InlineData("@example.se", false)]
    [InlineData("anna@example", false)]
    [InlineData("anna@@example.se", false)]
    [InlineData("anna berg@example.se", false)]
    [InlineData("Anna <anna@example.se>", false)]
    [InlineData("anna@example..se", false)]
    public void GuardianEmail_MustBeAnEmailAddress(string email, bool valid)
    {
        if (valid)
        {
            Assert.Equal(email, Guardian.Create("Anna", "Berg", true, Today, email: email).Email);
            return;
        }
        Assert.Equal("email", Field(Assert.Throws<DomainValidationException>(() => Guardian.Create("Anna", "Berg", true, Today, email: email))));
    }

    [Theory]
    [InlineData("070-123 45 67", true)]
    [InlineData("+46 (0)70 1234567", true)]
    [InlineData("ring mig", false)]
    [InlineData("12", false)]
    public void GuardianPhone_MustBeAPhoneNumber(string phone, bool valid)
    {
        if (valid) Assert.Equal(phone, Guardian.Create("Anna", "Berg", true, Today, phone: phone).Phone);
        else Assert.Equal("phone", Field(Assert.Throws<DomainValidationException>(() => Guardian.Create("Anna", "Berg", true, Today, phone: phone))));
    }

    [Fact]
    public void Personnummer_BornInTheFutureOrMoreThan120YearsAgo_IsRefusedNamingTheField()
    {
        var tomorrow = TestPersonnummer.For(Today.AddDays(1));
        var ancient = TestPersonnummer.For(Today.AddYears(-121));
        var oldest = TestPersonnummer.For(Today.AddYears(-120));
        Assert.Contains("framtiden", Assert.Throws<DomainValidationException>(() => Personnummer.Parse(tomorrow, Today)).Errors["personnummer"][0]);
        Assert.Contains("120 år", Assert.Throws<DomainValidationException>(() => Personnummer.Parse(ancient, Today, "youthPersonnummer")).Errors["youthPersonnummer"][0]);
        Assert.False(Personnummer.TryParse(tomorrow, Today, out _));
        Assert.False(Personnummer.TryParse(ancient, Today, out _));
        Assert.Equal(Today.AddYears(-120), Personnummer.Parse(oldest, Today).BirthDate);
        Assert.Equal(Today, Personnummer.Parse(TestPersonnummer.For(Today), Today).BirthDate);
    }

    [Fact]
    public void Open_WithMoreThanFourGuardians_OrMoreThanTwoWithCustody_IsRefused()
    {
        Guardian G(bool custody, string? pnr = null) => Guardian.Create("Anna", "Berg", custody, Today, pnr);
        var youth = Youth.Create(TestPersonnummer.For(BornYearsAgo(14)), "Kim", "Berg", Today);
        Case Open(IEnumerable<Guardian> guardians, Party[]? parties = null) =>
            Case.Open(Municipality, "SSPF-2026-0001", youth, guardians, SignalCategory.Other, parties ?? [Party.Skola], Coordinator, Now);

        Assert.Equal(4, Open([G(true), G(true), G(false), G(false)]).Guardians.Count);
        Assert.Contains("Högst 4", Assert.Throws<DomainValidationException>(() => Open([G(true), G(false), G(false), G(false), G(false)])).Errors["guardians"][0]);
        Assert.Contains("Högst 2", Assert.Throws<DomainValidationException>(() => Open([G(true), G(true), G(true)])).Errors["guardians"][0]);

        var twoCustodians = Open([G(true), G(true)]);
        Assert.Throws<DomainValidationException>(() => twoCustodians.AddGuardian(G(true)));
        Assert.Equal(2, twoCustodians.Guardians.Count);
    }

    [Fact]
    public void Open_WithTheSamePartyTwice_OrAGuardianWhoIsTheYouthOrAnotherGuardian_IsRefused()
    {
        var youthNumber = TestPersonnummer.For(BornYearsAgo(14));
        var parentNumber = TestPersonnummer.For(BornYearsAgo(40));
        var youth = Youth.Create(youthNumber, "Kim", "Berg", Today);
        Case Open(IEnumerable<Guardian> guardians, Party[] parties) =>
            Case.Open(Municipality, "SSPF-2026-0001", youth, guardians, SignalCategory.Other, parties, Coordinator, Now);
        Guardian G(string? pnr) => Guardian.Create("Anna", "Berg", true, Today, pnr);

        Assert.Equal("proposedParties", Field(Assert.Throws<DomainValidationException>(() => Open([], [Party.Skola, Party.Polis, Party.Skola]))));
        Assert.Equal("guardians", Field(Assert.Throws<DomainValidationException>(() => Open([G(youthNumber)], [Party.Skola]))));
        Assert.Equal("guardians", Field(Assert.Throws<DomainValidationException>(() => Open([G(parentNumber), G(parentNumber)], [Party.Skola]))));
        Assert.Equal(2, Open([G(parentNumber), G(null)], [Party.Skola, Party.Polis]).ProposedParties.Count);
    }

    [Fact]
    public void Intervention_ResponsiblePersonOfAnotherParty_IsRefusedNamingTheField()
    {
        var @case = ActiveCase();
        var error = Assert.Throws<DomainValidationException>(() => @case.ProposeIntervention(
            InterventionType.SchoolSupport, Party.Skola, PoliceOfficer, "Närvaro", null, null, false, Now));
        Assert.Equal("responsibleUserId", Field(error));
        Assert.Contains("Polisen", error.Errors["responsibleUserId"][0]);
        Assert.Empty(@case.Interventions);

        Assert.Equal(Party.Skola, @case.ProposeIntervention(InterventionType.SchoolSupport, Party.Skola, Teacher, "Närvaro", null, null, false, Now).OwnerParty);
        // The coordinator, who runs the case, may answer for any party's insats.
        @case.ProposeIntervention(InterventionType.Mentor, Party.Polis, Coordinator, "Samtal", null, null, false, Now);
    }

    /// <summary>Decision 14: a meeting is booked (and booked again) at most <see cref="CaseRules.MeetingMaxMonthsAhead"/> ahead.</summary>
    [Fact]
    public void Meeting_BookedFurtherAheadThanTheRule_IsAValidationErrorNamingStartsAt()
    {
        var @case = ActiveCase();
        var latest = Now.AddMonths(Rules.MeetingMaxMonthsAhead);
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, latest, null, [Teacher], Coordinator, Now, Rules);

        var error = Assert.Throws<DomainValidationException>(() =>
            @case.ScheduleMeeting(MeetingKind.Network, latest.AddMinutes(1), null, [Teacher], Coordinator, Now, Rules));
        Assert.Equal("startsAt", Field(error));
        Assert.Contains("högst 12 månader fram", error.Errors["startsAt"][0]);
        Assert.Single(@case.Meetings);

        @case.RescheduleMeeting(meeting.Id, null, "Flyttas", Coordinator, Now, Rules);
        Assert.Equal("startsAt", Field(Assert.Throws<DomainValidationException>(() =>
            @case.ScheduleMeetingAgain(meeting.Id, new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), Coordinator, Now, Rules))));
        Assert.Equal(MeetingState.Rescheduled, meeting.State);
    }

    /// <summary>Decision 14: an insats's dates lie within <see cref="Intervention.DateRangeYears"/> of today, either way.</summary>
    [Theory]
    [InlineData(-Intervention.DateRangeYears, 0, null)]
    [InlineData(0, Intervention.DateRangeYears, null)]
    [InlineData(-Intervention.DateRangeYears - 1, 0, "startDate")]
    [InlineData(0, Intervention.DateRangeYears + 1, "plannedEndDate")]
    public void Intervention_DatesBeyondTheRange_AreAValidationErrorNamingTheDate(int startYears, int endYears, string? refused)
    {
        var @case = ActiveCase();
        var start = Today.AddYears(startYears);
        var end = Today.AddYears(endYears).AddDays(refused is null ? 0 : 1);
        if (refused == "startDate") start = start.AddDays(-1);
        if (refused is null)
        {
            @case.ProposeIntervention(InterventionType.Mentor, Party.Skola, Teacher, "Stöd", start, end, false, Now);
            return;
        }
        var error = Assert.Throws<DomainValidationException>(() =>
            @case.ProposeIntervention(InterventionType.Mentor, Party.Skola, Teacher, "Stöd", start, end, false, Now));
        Assert.Equal(refused, Field(error));
        Assert.Equal("Datumet måste ligga inom 10 år från i dag.", error.Errors[refused][0]);
        Assert.Empty(@case.Interventions);
    }
}
