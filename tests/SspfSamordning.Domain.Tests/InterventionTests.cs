using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.Workflows;
using static SspfSamordning.Domain.Tests.Scenario;

namespace SspfSamordning.Domain.Tests;

public class InterventionTests
{
    private const string DecisionGuard = "Bistånd från socialtjänsten kräver en beslutsreferens";

    private static readonly Edge<InterventionState, InterventionTrigger>[] Table =
    [
        new(InterventionState.Proposed, InterventionTrigger.Plan, InterventionState.Planned),
        new(InterventionState.Proposed, InterventionTrigger.Cancel, InterventionState.Cancelled),
        new(InterventionState.Planned, InterventionTrigger.Start, InterventionState.Ongoing),
        new(InterventionState.Planned, InterventionTrigger.Cancel, InterventionState.Cancelled),
        new(InterventionState.Ongoing, InterventionTrigger.Complete, InterventionState.Completed),
        new(InterventionState.Ongoing, InterventionTrigger.Cancel, InterventionState.Cancelled),
    ];

    public static TheoryData<InterventionState, InterventionTrigger> Pairs => TransitionTable.AllPairs<InterventionState, InterventionTrigger>();

    private static Intervention Propose(Case @case, bool isBistand = false) =>
        @case.ProposeIntervention(
            isBistand ? InterventionType.ContactPerson : InterventionType.LeisureActivity,
            isBistand ? Party.Socialtjanst : Party.Fritid,
            isBistand ? SocialWorker : LeisureWorker,
            "Meningsfull fritid", Today, Today.AddMonths(6), isBistand, Now);

    private static (Case, Intervention) InterventionIn(InterventionState state)
    {
        var @case = ActiveCase();
        var intervention = Propose(@case);
        if (state != InterventionState.Proposed) @case.PlanIntervention(intervention.Id, LeisureWorker, Now);
        if (state is InterventionState.Ongoing or InterventionState.Completed or InterventionState.Cancelled)
            @case.StartIntervention(intervention.Id, LeisureWorker, Now);
        if (state == InterventionState.Completed)
            @case.CompleteIntervention(intervention.Id, InterventionOutcome.Achieved, null, LeisureWorker, Now);
        if (state == InterventionState.Cancelled)
            @case.CancelIntervention(intervention.Id, "Slutade", LeisureWorker, Now);
        return (@case, intervention);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Fire_EveryStateAndTrigger_FollowsTheTransitionTable(InterventionState state, InterventionTrigger trigger) =>
        TransitionTable.Verify(Table, state, trigger, Intervention.Build(InterventionIn(state).Item2));

    [Fact]
    public void Definition_HoldsExactlyTheTransitionTable() => TransitionTable.VerifyDefinition(Table, Intervention.Definition);

    [Fact]
    public void Plan_BistandWithoutDecisionReference_IsRefusedWithTheGuard()
    {
        var @case = ActiveCase();
        var intervention = Propose(@case, isBistand: true);

        var refused = Assert.Throws<TransitionRefusedException>(() => @case.PlanIntervention(intervention.Id, SocialWorker, Now));

        Assert.Equal([DecisionGuard], refused.UnmetGuards);
        Assert.Equal(["Cancel"], refused.PermittedTriggers);
        Assert.Equal([InterventionTrigger.Cancel], intervention.PermittedTriggers);
    }

    [Fact]
    public void Plan_BistandAfterSocialServicesRecordsDecision_MovesToPlanned()
    {
        var @case = ActiveCase();
        var intervention = Propose(@case, isBistand: true);

        @case.SetInterventionDecisionReference(intervention.Id, "Beslut 2026-123", Party.Socialtjanst);
        @case.PlanIntervention(intervention.Id, SocialWorker, Now);

        Assert.Equal(InterventionState.Planned, intervention.State);
    }

    [Fact]
    public void SetDecisionReference_ByOtherParty_IsRefused()
    {
        var @case = ActiveCase();
        var intervention = Propose(@case, isBistand: true);

        Assert.Equal("OnlySocialServices", Assert.Throws<DomainRuleException>(() =>
            @case.SetInterventionDecisionReference(intervention.Id, "X", Party.Skola)).Code);
    }

    [Fact]
    public void Propose_BistandOwnedByOtherParty_IsAValidationError()
    {
        var @case = ActiveCase();

        Assert.Throws<DomainValidationException>(() => @case.ProposeIntervention(
            InterventionType.Mentor, Party.Skola, Teacher, "Mål", null, null, isBistand: true, Now));
    }

    [Fact]
    public void Propose_WhenCaseNotActive_IsRefused()
    {
        Assert.Equal("CaseNotActive", Assert.Throws<DomainRuleException>(() => Propose(NewCase())).Code);
    }

    [Fact]
    public void Propose_WithResponsibleWhoIsNotAMember_IsRefused()
    {
        var @case = ActiveCase();

        Assert.Equal("ResponsibleNotMember", Assert.Throws<DomainRuleException>(() => @case.ProposeIntervention(
            InterventionType.Mentor, Party.Skola, Guid.NewGuid(), "Mål", null, null, false, Now)).Code);
    }

    [Fact]
    public void Complete_RecordsOutcomeAndComment()
    {
        var (@case, intervention) = InterventionIn(InterventionState.Ongoing);

        @case.CompleteIntervention(intervention.Id, InterventionOutcome.PartlyAchieved, "Går på träningen ibland", LeisureWorker, Now.AddMonths(2));

        Assert.Equal((InterventionState.Completed, InterventionOutcome.PartlyAchieved, "Går på träningen ibland", Now.AddMonths(2)),
            (intervention.State, intervention.Outcome, intervention.OutcomeComment, intervention.CompletedAt));
    }

    [Fact]
    public void Cancel_BeforeStarted_IsAllowedWithAReason()
    {
        var (@case, intervention) = InterventionIn(InterventionState.Planned);
        Assert.Equal([InterventionTrigger.Start, InterventionTrigger.Cancel], intervention.PermittedTriggers);

        @case.CancelIntervention(intervention.Id, "Beslutet överklagades", LeisureWorker, Now);

        Assert.Equal(InterventionState.Cancelled, intervention.State);
    }
}
