namespace SspfSamordning.Api.Features.Interventions;

/// <summary>The Interventions endpoints under /api/cases/{id}.</summary>
public static class InterventionEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
        var interventions = cases.MapGroup("/{id:guid}/interventions");
        ProposeIntervention.Map(interventions);
        ListInterventions.Map(interventions);
        GetIntervention.Map(interventions);
        InterventionTransitions.Map(interventions);
        SetDecisionReference.Map(interventions);
    }
}
