using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.Workflows;

namespace SspfSamordning.Domain.Tests;

/// <summary>
/// One edge of an expected transition table. <see cref="FailingGuard"/> is set when the edge exists but its
/// guard does not hold in the test's standard scenario, so firing is refused with that description.
/// </summary>
public sealed record Edge<TState, TTrigger>(TState From, TTrigger Trigger, TState To, string? FailingGuard = null);

public static class TransitionTable
{
    public static TheoryData<TState, TTrigger> AllPairs<TState, TTrigger>()
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        var data = new TheoryData<TState, TTrigger>();
        foreach (var state in Enum.GetValues<TState>())
            foreach (var trigger in Enum.GetValues<TTrigger>())
                data.Add(state, trigger);
        return data;
    }

    /// <summary>Fires <paramref name="trigger"/> on a workflow in <paramref name="state"/> and checks it against the table.</summary>
    public static void Verify<TContext, TState, TTrigger>(
        IReadOnlyList<Edge<TState, TTrigger>> table, TState state, TTrigger trigger, BoundWorkflow<TContext, TState, TTrigger> workflow)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        Assert.Equal(state, workflow.State);
        var fromState = table.Where(e => e.From.Equals(state)).ToList();
        var permitted = fromState.Where(e => e.FailingGuard is null).Select(e => e.Trigger.ToString()).Distinct().Order().ToList();
        var edges = fromState.Where(e => e.Trigger.Equals(trigger)).ToList();

        if (edges.SingleOrDefault(e => e.FailingGuard is null) is { } expected)
        {
            var transition = workflow.Fire(trigger);
            Assert.Equal(expected.To, transition.Destination);
            Assert.Equal(expected.To, workflow.State);
            return;
        }

        var refused = Assert.Throws<TransitionRefusedException>(() => workflow.Fire(trigger));
        Assert.Equal(state.ToString(), refused.CurrentState);
        Assert.Equal(trigger.ToString(), refused.Trigger);
        Assert.Equal(permitted, refused.PermittedTriggers.Order().ToList());
        Assert.Equal(edges.Select(e => e.FailingGuard!).ToList(), refused.UnmetGuards);
        Assert.Equal(state, workflow.State);
    }

    /// <summary>The static description holds exactly the table's edges.</summary>
    public static void VerifyDefinition<TState, TTrigger>(IReadOnlyList<Edge<TState, TTrigger>> table, WorkflowDescription definition)
        where TState : struct, Enum
        where TTrigger : struct, Enum
    {
        var expected = table.Select(e => $"{e.From} --{e.Trigger}--> {e.To}").Order().ToList();
        var actual = definition.Transitions.Select(t => $"{t.From} --{t.Trigger}--> {t.To}").Order().ToList();
        Assert.Equal(expected, actual);
    }
}

public static class TestPersonnummer
{
    /// <summary>A valid 12-digit personnummer for the birth date (serial 238 + Luhn check digit).</summary>
    public static string For(DateOnly birthDate, int serial = 238) => Personnummer.Fictitious(birthDate, serial);
}

/// <summary>A case in Falkenberg with a coordinator, two guardians with custody and members of four parties.</summary>
public static class Scenario
{
    /// <summary>Tuesday 10 March 2026, 09:00 Swedish time.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(1));

    public static readonly CaseRules Rules = CaseRules.Default;
    public static readonly Guid Municipality = Guid.NewGuid();
    public static readonly Guid Coordinator = Guid.NewGuid();
    public static readonly Guid SocialWorker = Guid.NewGuid();
    public static readonly Guid PoliceOfficer = Guid.NewGuid();
    public static readonly Guid Teacher = Guid.NewGuid();
    public static readonly Guid LeisureWorker = Guid.NewGuid();

    public static readonly Party[] AllSharedParties = [Party.Skola, Party.Socialtjanst, Party.Polis, Party.Fritid];

    public static readonly InformationCategory[] AllSharedCategories =
        [InformationCategory.Basic, InformationCategory.School, InformationCategory.SocialServicesSspfNotes, InformationCategory.Police];

    public static DateOnly Today => DateOnly.FromDateTime(Now.DateTime);

    /// <summary>The instant a Swedish clock shows <paramref name="hour"/>:00 on the given day (CET or CEST, as it was then).</summary>
    public static DateTimeOffset Swedish(int year, int month, int day, int hour = 9)
    {
        var local = new DateTime(year, month, day, hour, 0, 0);
        return new DateTimeOffset(local, SwedishCalendar.TimeZone.GetUtcOffset(local));
    }

    /// <summary>Birth date of a youth who is <paramref name="age"/> today.</summary>
    public static DateOnly BornYearsAgo(int age) => Today.AddYears(-age).AddMonths(-2);

    public static Case NewCase(int youthAge = 16, int guardiansWithCustody = 2) => NewCase(BornYearsAgo(youthAge), guardiansWithCustody);

    public static Case NewCase(DateOnly birthDate, int guardiansWithCustody = 2)
    {
        var guardians = Enumerable.Range(1, guardiansWithCustody)
            .Select(i => Guardian.Create($"Förälder{i}", "Andersson", hasCustody: true, Today))
            .Append(Guardian.Create("Bonus", "Andersson", hasCustody: false, Today));
        var @case = Case.Open(
            Municipality, "SSPF-2026-0042",
            Youth.Create(TestPersonnummer.For(birthDate), "Kim", "Andersson", Today, school: "Falkenbergs skola"),
            guardians, SignalCategory.CriminalActivity, [Party.Skola, Party.Polis], Coordinator, Now);
        @case.AddMember(SocialWorker, Party.Socialtjanst, Coordinator, Now);
        @case.AddMember(PoliceOfficer, Party.Polis, Coordinator, Now);
        @case.AddMember(Teacher, Party.Skola, Coordinator, Now);
        @case.AddMember(LeisureWorker, Party.Fritid, Coordinator, Now);
        return @case;
    }

    public static Consent RequestConsent(Case @case, DateTimeOffset? at = null, Party[]? parties = null) =>
        @case.RequestConsent(parties ?? AllSharedParties, AllSharedCategories, Coordinator, at ?? Now, Rules);

    public static SignatoryAnswer Gives(Signatory signatory) =>
        new(signatory, Given: true, ConsentForm.Written, Party.Socialtjanst, DocumentRef: "Dnr 2026/17");

    public static SignatoryAnswer Refuses(Signatory signatory) =>
        new(signatory, Given: false, ConsentForm.Verbal, Party.Skola, VerbalRecordedBy: "Mentor Eva");

    /// <summary>Every required signatory gives consent at <paramref name="at"/>.</summary>
    public static Consent GiveValidConsent(Case @case, DateTimeOffset? at = null, Party[]? parties = null)
    {
        var when = at ?? Now;
        var consent = RequestConsent(@case, when, parties);
        foreach (var signatory in @case.RequiredSignatories(when))
            @case.AnswerConsent(consent.Id, Gives(signatory), SocialWorker, when, Rules);
        return consent;
    }

    public static Signatory FirstGuardian(Case @case) => Signatory.Guardian(@case.Guardians.First(g => g.HasCustody).Id);

    public static Case ActiveCase()
    {
        var @case = NewCase();
        GiveValidConsent(@case);
        return @case;
    }

    /// <summary>An active case with a held network meeting, an action plan and one ongoing intervention.</summary>
    public static Case CaseWithActionPlan(out Intervention intervention)
    {
        var @case = ActiveCase();
        var meeting = @case.ScheduleMeeting(MeetingKind.Network, Now.AddDays(1), "Stadshuset", [Teacher, PoliceOfficer], Coordinator, Now, Rules);
        @case.RecordMeetingHeld(meeting.Id, [Teacher], youthAttended: true, [], "Utkast", Coordinator, Now.AddDays(1), Rules);
        @case.SetActionPlan(meeting.Id, "Gå i skolan varje dag", Coordinator, Now.AddDays(1), Rules);
        intervention = @case.ProposeIntervention(
            InterventionType.Mentor, Party.Skola, Teacher, "Stöd i skolarbetet", null, null, isBistand: false, Now.AddDays(1));
        @case.PlanIntervention(intervention.Id, Teacher, Now.AddDays(1));
        @case.StartIntervention(intervention.Id, Teacher, Now.AddDays(1));
        return @case;
    }
}
