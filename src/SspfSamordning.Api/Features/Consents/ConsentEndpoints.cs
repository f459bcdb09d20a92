namespace SspfSamordning.Api.Features.Consents;

/// <summary>The Consents endpoints under /api/cases/{id}.</summary>
public static class ConsentEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
        RequestConsent.Map(cases);
        ListConsents.Map(cases);
        GetConsent.Map(cases);
        AnswerConsent.Map(cases);
        ConsentTransitions.Map(cases);
    }
}
