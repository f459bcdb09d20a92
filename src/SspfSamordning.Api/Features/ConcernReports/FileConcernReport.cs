using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>
/// POST /api/concern-reports: any professional files an orosanmälan (the duty to report never depends on consent),
/// optionally from a case they can see. A socialsekreterare of the municipality becomes responsible (the caller,
/// when they are one); overdue deadlines escalate to another socialsekreterare of the same (receiving) unit, or to the
/// responsible one when the unit has no other — never to a samordnare (docs/domain-rules.md, decision 8). A reporter outside
/// socialtjänst gets back only the id and the status: the content is socialtjänst-internal from the moment it is sent.
/// </summary>
public static class FileConcernReport
{
    public sealed record Request(
        Guid? MunicipalityId, string? Content, bool? ConcernsViolenceAgainstChild, string? YouthPersonnummer, string? YouthName, Guid? CaseId);

    public static void Map(RouteGroupBuilder reports) =>
        reports.MapPost("/", Handle).RequireAuthorization(Policies.Reporter);

    /// <summary>The one use case behind both doors: the API's POST and the page /orosanmalningar/ny (Pages/ConcernReports/File).</summary>
    internal static async Task<Results<Created<ConcernReportReceipt>, Created<ConcernReportDetail>, ValidationProblem, ProblemHttpResult>> Handle(
        Request request, ClaimsPrincipal principal, SspfDbContext db, IAuditContext audit, TimeProvider time, IOptions<CaseRules> rules,
        CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (request.MunicipalityId is not { } municipalityId || !viewer.Municipalities.Contains(municipalityId))
            errors["municipalityId"] = ["Ange en av dina kommuner."];
        if (string.IsNullOrWhiteSpace(request.Content)) errors["content"] = ["Anmälan saknar innehåll."];
        if (request.ConcernsViolenceAgainstChild is null) errors["concernsViolenceAgainstChild"] = ["Ange om anmälan gäller våld mot barnet."];
        if (errors.Count > 0) return Problems.Validation(errors);
        if (request.CaseId is { } caseId
            && !await db.VisibleCases(viewer, now).AnyAsync(c => c.Id == caseId && c.MunicipalityId == request.MunicipalityId, ct))
        {
            // A case the reporter may not see (or none): refused, and logged as every refused attempt on a case is (access rule 8).
            db.AccessEvents.Add(audit.NewEvent(AuditAction.Refused, AuditDecision.Refused, caseId, AuditFilter.Case, caseId));
            await db.SaveChangesAsync(ct);
            return Problems.Validation("caseId", "Ange ett ärende i kommunen som du har tillgång till.");
        }

        var receiving = request.MunicipalityId!.Value;
        var socialWorkers = db.SocialWorkers().Where(u => u.Unit!.Municipalities.Any(m => m.MunicipalityId == receiving));
        var responsible = await socialWorkers
            .OrderBy(u => u.Id == viewer.UserId ? 0 : 1).ThenBy(u => u.Id)
            .Select(u => new { u.Id, u.UnitId }).FirstOrDefaultAsync(ct);
        if (responsible is null)
            return Problems.Conflict("Ingen socialsekreterare kan ta emot anmälan",
                "Kommunen har ingen aktiv socialsekreterare i systemet. Kontakta socialtjänsten direkt.",
                new Dictionary<string, object?> { ["code"] = "NoSocialWorker" });
        var responsibleUserId = responsible.Id;
        // Decision 8: escalations stay with socialtjänst — a colleague in the receiving unit, never the samordnare
        // (who may not act on the report); the responsible social worker themselves when the unit has no other. The
        // dispatcher sends an escalation to every colleague active in the unit at that time (ReminderDispatcher).
        var escalateTo = await socialWorkers.Where(u => u.UnitId == responsible.UnitId && u.Id != responsibleUserId)
            .OrderBy(u => u.Id).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct) ?? responsibleUserId;

        var report = ConcernReport.Receive(request.MunicipalityId.Value, viewer.UserId, viewer.Party, request.Content!,
            request.ConcernsViolenceAgainstChild!.Value, request.YouthPersonnummer, request.YouthName, request.CaseId,
            responsibleUserId, escalateTo, now, rules.Value);
        db.ConcernReports.Add(report);
        await db.SaveChangesAsync(ct);
        return viewer.IsSocialServices
            ? TypedResults.Created($"/api/concern-reports/{report.Id}", ConcernReportDetail.From(report))
            : TypedResults.Created($"/api/concern-reports/{report.Id}/status", new ConcernReportReceipt(report.Id, report.StatusForReporter));
    }
}
