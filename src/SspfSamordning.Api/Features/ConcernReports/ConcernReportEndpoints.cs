using SspfSamordning.Api.Infrastructure.Audit;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>/api/concern-reports, and the link from a case: /api/cases/{id}/concern-reports.</summary>
public static class ConcernReportEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/concern-reports").AddEndpointFilter(new AuditFilter(AuditFilter.ConcernReport));
        FileConcernReport.Map(reports);
        ListConcernReports.Map(reports);
        GetConcernReport.Map(reports);
        GetConcernReportStatus.Map(reports);
        ConcernReportTransitions.Map(reports);
        LinkConcernReport.Map(api.MapGroup("/cases").AddEndpointFilter(new AuditFilter(AuditFilter.Case)));
    }
}
