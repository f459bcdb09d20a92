using System.Security.Claims;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>
/// What of the access log a Granskare reviews: events of the Granskare's municipalities. An event that names an existing
/// case belongs to that case's municipality alone — whoever acted (a user of a unit serving several municipalities logs
/// events without a municipality, and must not show a Granskare of A the reads of B's cases). Other events: those whose
/// actor acted in one of the municipalities, or is a user of a unit serving one of them (sign-ins, before the session
/// names a municipality), and the events without an actor or case (the system's, failed sign-ins of unknown accounts),
/// which belong to no municipality.
/// </summary>
public static class AuditScope
{
    public static IQueryable<AccessEvent> ForAuditor(this IQueryable<AccessEvent> events, SspfDbContext db, ClaimsPrincipal auditor)
    {
        var municipalities = auditor.Municipalities().ToList();
        var cases = db.Cases.Where(c => municipalities.Contains(c.MunicipalityId)).Select(c => c.Id);
        var allCases = db.Cases.Select(c => c.Id);
        var units = db.Set<UnitMunicipality>().Where(u => municipalities.Contains(u.MunicipalityId)).Select(u => u.UnitId);
        var users = db.Users.Where(u => units.Contains(u.UnitId)).Select(u => u.Id);
        return events.Where(e => (e.CaseId != null && cases.Contains(e.CaseId.Value))
            || (!(e.CaseId != null && allCases.Contains(e.CaseId.Value))
                && ((e.MunicipalityId != null && municipalities.Contains(e.MunicipalityId.Value))
                    || (e.MunicipalityId == null && e.ActorUserId != null && users.Contains(e.ActorUserId.Value))
                    || (e.ActorUserId == null && e.CaseId == null))));
    }

    /// <summary>Reads of case data: what loggkontroll's non-member report examines.</summary>
    public static IQueryable<AccessEvent> CaseReads(this IQueryable<AccessEvent> events) =>
        events.Where(e => e.CaseId != null && e.Decision == AuditDecision.Allowed
            && (e.Action == AuditAction.Read || e.Action == AuditAction.List || e.Action == AuditAction.Search));

    /// <summary>
    /// Reads of case data and of concern reports' content (socialtjänst's, logged by the report, often with no case):
    /// what the volume report counts — a socialsekreterare reading report after report is as unusual as one reading case
    /// after case.
    /// </summary>
    public static IQueryable<AccessEvent> CaseAndReportReads(this IQueryable<AccessEvent> events) =>
        events.Where(e => (e.CaseId != null || e.EntityType == AuditFilter.ConcernReport) && e.Decision == AuditDecision.Allowed
            && (e.Action == AuditAction.Read || e.Action == AuditAction.List || e.Action == AuditAction.Search));
}
