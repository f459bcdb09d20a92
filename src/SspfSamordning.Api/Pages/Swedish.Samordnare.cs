using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Pages;

// The coordinator's pages (journey 1): names of the values they show and choose.
public static partial class Swedish
{
    public static string Name(SignalCategory category) => category switch
    {
        SignalCategory.CriminalActivity => "Brottslighet",
        SignalCategory.SubstanceUse => "Missbruk",
        SignalCategory.ViolenceOrThreats => "Våld eller hot",
        SignalCategory.CriminalNetworkRecruitment => "Rekrytering till kriminella nätverk",
        SignalCategory.SchoolAbsence => "Skolfrånvaro",
        SignalCategory.ConcernForWellbeing => "Oro för välmående",
        _ => "Annat",
    };

    public static string Name(CloseReason reason) => reason switch
    {
        CloseReason.GoalsReached => "Målen är uppnådda",
        CloseReason.ConsentWithdrawn => "Samtycket återkallades",
        CloseReason.Moved => "Ungdomen har flyttat",
        CloseReason.AgeLimit => "Åldersgränsen är nådd",
        CloseReason.HandedOver => "Överlämnat till annan verksamhet",
        CloseReason.NotRelevant => "SSPF är inte aktuellt",
        _ => "Annat",
    };

    public static string Name(MeetingKind kind) => kind == MeetingKind.Mapping ? "Kartläggningsmöte" : "Nätverksmöte";

    public static string Name(MeetingState state) => state switch
    {
        MeetingState.Scheduled => "Bokat",
        MeetingState.Held => "Hållet, protokollet är ett utkast",
        MeetingState.MinutesApproved => "Protokollet är godkänt",
        MeetingState.Cancelled => "Inställt",
        MeetingState.Rescheduled => "Flyttas",
        _ => state.ToString(),
    };

    public static string Name(DeadlineKind kind) => kind switch
    {
        DeadlineKind.Meeting => "Möte",
        DeadlineKind.MinutesApproval => "Godkänn protokoll",
        DeadlineKind.ConsentUnanswered => "Samtycke saknar svar",
        DeadlineKind.ConsentExpiring => "Samtycke går ut",
        DeadlineKind.FollowUpDue => "Uppföljning",
        DeadlineKind.ProtectionAssessment => "Skyddsbedömning",
        DeadlineKind.PreliminaryAssessment => "Förhandsbedömning",
        DeadlineKind.InvestigationDue => "Utredningen ska vara klar",
        DeadlineKind.ReporterFeedback => "Återkoppling till anmälaren",
        _ => kind.ToString(),
    };

    /// <summary>What a timeline entry is about: the workflow's Swedish name.</summary>
    public static string Workflow(string workflow) => workflow switch
    {
        Case.WorkflowName => "Ärendet",
        Consent.WorkflowName => "Samtycke",
        Meeting.WorkflowName => "Möte",
        FollowUp.WorkflowName => "Uppföljning",
        Intervention.WorkflowName => "Insats",
        Disclosure.WorkflowName => "Uppgiftslämnande",
        _ => workflow,
    };

    /// <summary>A state in the timeline: the case's and the meeting's in Swedish, the others by the workflow's name.</summary>
    public static string State(string workflow, string state) => workflow switch
    {
        Case.WorkflowName when Enum.TryParse<CaseState>(state, out var s) => Name(s),
        Meeting.WorkflowName when Enum.TryParse<MeetingState>(state, out var s) => Name(s),
        _ => state,
    };
}
