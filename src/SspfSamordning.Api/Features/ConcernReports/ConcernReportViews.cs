using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Domain;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Features.ConcernReports;

// Explicit response types. Only the detail and the summary carry content or personal data, and only
// socialtjänst ever receives them; a reporter outside socialtjänst gets a receipt and the status.

/// <summary>What a reporter outside socialtjänst gets back on filing: the id and the status as a reporter may know it.</summary>
public sealed record ConcernReportReceipt(Guid Id, ReporterStatus State);

/// <summary>The reporter's view of their own report: the status, never the content.</summary>
public sealed record ConcernReportStatusView(Guid Id, ReporterStatus Status, DateTimeOffset ReceivedAt);

/// <summary>
/// A report in socialtjänst's queue, with its open statutory deadlines (earliest first) so that the queue shows what is
/// due when. Load the report with <see cref="ConcernReportQueries.WithOpenDeadlines"/>: the list reads them in the same
/// query as the reports.
/// </summary>
public sealed record ConcernReportSummary(
    Guid Id, ConcernReportState State, Guid MunicipalityId, Guid? CaseId, Party ReporterParty, DateTimeOffset ReceivedAt,
    bool ConcernsViolenceAgainstChild, Guid ResponsibleUserId, string? YouthName, IReadOnlyList<ConcernReportDeadlineView> OpenDeadlines)
{
    /// <summary>From a loaded report — never as an EF projection, which would return the name's ciphertext.</summary>
    public static ConcernReportSummary From(ConcernReport r) => new(
        r.Id, r.State, r.MunicipalityId, r.CaseId, r.ReporterParty, r.ReceivedAt, r.ConcernsViolenceAgainstChild, r.ResponsibleUserId, r.YouthName,
        ConcernReportDeadlineView.OpenOf(r));
}

public sealed record ConcernReportDeadlineView(Guid Id, DeadlineKind Kind, DateTimeOffset DueAt, DateTimeOffset? RemindAt)
{
    /// <summary>The report's open deadlines, earliest first (as loaded: see <see cref="ConcernReportQueries.WithOpenDeadlines"/>).</summary>
    public static IReadOnlyList<ConcernReportDeadlineView> OpenOf(ConcernReport r) =>
        [.. r.Deadlines.Where(d => d.State == DeadlineState.Open).OrderBy(d => d.DueAt).ThenBy(d => d.Id)
            .Select(d => new ConcernReportDeadlineView(d.Id, d.Kind, d.DueAt, d.RemindAt))];
}

public static class ConcernReportQueries
{
    /// <summary>The reports with their open deadlines, in one query with them (what the views above show).</summary>
    public static IQueryable<ConcernReport> WithOpenDeadlines(this IQueryable<ConcernReport> reports) =>
        reports.Include(r => r.Deadlines.Where(d => d.State == DeadlineState.Open)).AsSingleQuery();
}

public sealed record ConcernReportDetail(
    Guid Id, ConcernReportState State, ReporterStatus ReporterStatus, Guid MunicipalityId, Guid? CaseId,
    Guid ReporterUserId, Party ReporterParty, DateTimeOffset ReceivedAt,
    string Content, string? YouthPersonnummer, string? YouthName, bool ConcernsViolenceAgainstChild,
    Guid ResponsibleUserId, Guid EscalateToUserId,
    string? ProtectionAssessment, bool? ImmediateProtectionNeeded, DateTimeOffset? ProtectionAssessedAt,
    DateTimeOffset? DecidedAt, DateTimeOffset? InvestigationOpenedAt, DateTimeOffset? InvestigationDueAt,
    DateTimeOffset? InvestigationClosedAt, DateTimeOffset? ReporterFeedbackGivenAt,
    IReadOnlyList<string> PermittedTriggers, IReadOnlyList<ConcernReportDeadlineView> OpenDeadlines)
{
    public static ConcernReportDetail From(ConcernReport r) => new(
        r.Id, r.State, r.StatusForReporter, r.MunicipalityId, r.CaseId, r.ReporterUserId, r.ReporterParty, r.ReceivedAt,
        r.Content, r.YouthPersonnummer, r.YouthName, r.ConcernsViolenceAgainstChild, r.ResponsibleUserId, r.EscalateToUserId,
        r.ProtectionAssessment, r.ImmediateProtectionNeeded, r.ProtectionAssessedAt, r.DecidedAt, r.InvestigationOpenedAt,
        r.InvestigationDueAt, r.InvestigationClosedAt, r.ReporterFeedbackGivenAt, ClientPermittedTriggers(r),
        ConcernReportDeadlineView.OpenOf(r));

    /// <summary>The triggers that would be accepted now (återkoppling included: it is a trigger of the workflow).</summary>
    public static IReadOnlyList<string> ClientPermittedTriggers(ConcernReport r) => [.. r.PermittedTriggers.Select(t => t.ToString())];
}
