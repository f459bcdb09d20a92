using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Pages;

/// <summary>Swedish names of the consent, orosanmälan and insats values shown on the socialsekreterare's and the parties' pages.</summary>
public static partial class Swedish
{
    public static string Name(ConsentState state) => state switch
    {
        ConsentState.Requested => "Begärt, inget svar ännu",
        ConsentState.PartiallyGiven => "Delvis givet",
        ConsentState.Valid => "Giltigt",
        ConsentState.Withdrawn => "Återkallat",
        ConsentState.Expired => "Har upphört att gälla",
        ConsentState.Refused => "Vägrat",
        _ => state.ToString(),
    };

    public static string Name(ConcernReportState state) => state switch
    {
        ConcernReportState.Received => "Mottagen",
        ConcernReportState.ProtectionAssessed => "Skyddsbedömd",
        ConcernReportState.InvestigationOpened => "Utredning inledd",
        ConcernReportState.NoInvestigation => "Ingen utredning",
        ConcernReportState.InvestigationClosed => "Utredning avslutad",
        _ => state.ToString(),
    };

    public static string Name(ConcernReportTrigger trigger) => trigger switch
    {
        ConcernReportTrigger.AssessProtection => "Gör skyddsbedömning",
        ConcernReportTrigger.OpenInvestigation => "Inled utredning",
        ConcernReportTrigger.DecideNoInvestigation => "Besluta att inte inleda utredning",
        ConcernReportTrigger.ExtendInvestigation => "Förläng utredningstiden",
        ConcernReportTrigger.CloseInvestigation => "Avsluta utredningen",
        ConcernReportTrigger.RecordReporterFeedback => "Registrera återkoppling till anmälaren",
        _ => trigger.ToString(),
    };

    public static string Name(InterventionState state) => state switch
    {
        InterventionState.Proposed => "Föreslagen",
        InterventionState.Planned => "Planerad",
        InterventionState.Ongoing => "Pågår",
        InterventionState.Completed => "Avslutad",
        InterventionState.Cancelled => "Avbruten",
        _ => state.ToString(),
    };

    public static string Name(InterventionTrigger trigger) => trigger switch
    {
        InterventionTrigger.Plan => "Planera",
        InterventionTrigger.Start => "Starta",
        InterventionTrigger.Complete => "Avsluta",
        InterventionTrigger.Cancel => "Avbryt",
        _ => trigger.ToString(),
    };

    public static string Name(InterventionType type) => type switch
    {
        InterventionType.LeisureActivity => "Fritidsaktivitet",
        InterventionType.ContactPerson => "Kontaktperson",
        InterventionType.Mentor => "Mentor",
        InterventionType.ParentingSupport => "Föräldrastöd",
        InterventionType.SchoolSupport => "Stöd i skolan",
        InterventionType.MultisystemicTherapy => "Multisystemisk terapi (MST)",
        InterventionType.ExitProgramme => "Avhopparverksamhet",
        InterventionType.Other => "Annan insats",
        _ => type.ToString(),
    };

    public static string Name(InterventionOutcome outcome) => outcome switch
    {
        InterventionOutcome.Achieved => "Målet uppnått",
        InterventionOutcome.PartlyAchieved => "Målet delvis uppnått",
        InterventionOutcome.NotAchieved => "Målet inte uppnått",
        _ => outcome.ToString(),
    };

    /// <summary>Days left until a deadline, counted in Swedish calendar days ("i dag", "1 dag kvar", "3 dagar sedan").</summary>
    public static string DaysLeft(DateTimeOffset due, DateTimeOffset now)
    {
        var days = SwedishCalendar.DateOf(due).DayNumber - SwedishCalendar.DateOf(now).DayNumber;
        return days switch
        {
            0 => "i dag",
            1 => "1 dag kvar",
            > 1 => $"{days} dagar kvar",
            -1 => "passerad för 1 dag sedan",
            _ => $"passerad för {-days} dagar sedan",
        };
    }
}
