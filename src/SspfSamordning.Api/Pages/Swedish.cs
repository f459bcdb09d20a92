using System.Globalization;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages;

/// <summary>How the pages write values for people: Swedish names, dates as 2026-12-04 and times in Europe/Stockholm.</summary>
public static partial class Swedish
{
    public static string Date(DateTimeOffset instant) => SwedishCalendar.DateOf(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset instant) =>
        SwedishCalendar.ToLocal(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Name(CaseState state) => state switch
    {
        CaseState.Opened => "Öppnat",
        CaseState.AwaitingConsent => "Väntar på samtycke",
        CaseState.Active => "Aktivt",
        CaseState.Closed => "Avslutat",
        CaseState.Declined => "Avböjt",
        _ => state.ToString(),
    };

    public static string Name(InformationCategory category) => category switch
    {
        InformationCategory.Basic => "Grunduppgifter",
        InformationCategory.School => "Skolans uppgifter",
        InformationCategory.SocialServicesSspfNotes => "Socialtjänstens SSPF-anteckningar",
        InformationCategory.Police => "Polisens uppgifter",
        InformationCategory.SocialServicesInternal => "Socialtjänstens interna uppgifter",
        _ => category.ToString(),
    };
}
