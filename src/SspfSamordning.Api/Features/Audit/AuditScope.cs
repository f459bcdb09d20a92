using System.Security.Claims;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Features.Audit;

/// <summary>
/// What of the access log a Granskare reviews: events of the Granskare's municipalities — those whose actor acted in one
/// of them, or that concern a case of one of them — and the events with neither (the system's, sign-ins of unknown
/// accounts), which belong to no municipality.
/// </summary>
public static class AuditScope
{
    public static IQueryable<AccessEvent> ForAuditor(this IQueryable<AccessEvent> events, SspfDbContext db, ClaimsPrincipal auditor)
    {
        var municipalities = auditor.Municipalities().ToList();
        var cases = db.Cases.Where(c => municipalities.Contains(c.MunicipalityId)).Select(c => c.Id);
        return events.Where(e => (e.MunicipalityId != null && municipalities.Contains(e.MunicipalityId.Value))
            || (e.CaseId != null && cases.Contains(e.CaseId.Value))
            || (e.MunicipalityId == null && e.CaseId == null));
    }

    /// <summary>Reads of case data: what loggkontroll counts.</summary>
    public static IQueryable<AccessEvent> CaseReads(this IQueryable<AccessEvent> events) =>
        events.Where(e => e.CaseId != null && e.Decision == AuditDecision.Allowed
            && (e.Action == AuditAction.Read || e.Action == AuditAction.List || e.Action == AuditAction.Search));
}
