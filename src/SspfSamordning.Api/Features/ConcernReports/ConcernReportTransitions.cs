using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.ConcernReports;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>
/// POST /api/concern-reports/{id}/transitions {trigger, assessment?, immediateProtectionNeeded?, reason?, newDueAt?}:
/// socialtjänst moves the report through its workflow (and records the återkoppling). The domain decides what is
/// allowed; a refused trigger is a 409 with the current state and the permitted triggers.
/// </summary>
public static class ConcernReportTransitions
{
    public sealed record Request(ConcernReportTrigger? Trigger, string? Assessment, bool? ImmediateProtectionNeeded, string? Reason, DateTimeOffset? NewDueAt);

    /// <summary>What a client sends: every trigger of the report's workflow.</summary>
    public static readonly IReadOnlyList<ConcernReportTrigger> Accepted = Enum.GetValues<ConcernReportTrigger>();

    public static void Map(RouteGroupBuilder reports) =>
        reports.MapPost("/{id:guid}/transitions", Handle).RequireAuthorization(Policies.SocialServices);

    internal static async Task<Results<Ok<TransitionResult>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        if (request.Trigger is not { } trigger || !Accepted.Contains(trigger))
            return Problems.Validation("trigger", $"Ange en av: {string.Join(", ", Accepted)}.");
        if (trigger == ConcernReportTrigger.AssessProtection && request.ImmediateProtectionNeeded is null)
            return Problems.Validation("immediateProtectionNeeded", "Ange om barnet behöver omedelbart skydd.");
        if (trigger == ConcernReportTrigger.ExtendInvestigation && request.NewDueAt is null)
            return Problems.Validation("newDueAt", "Ange den nya tidsgränsen för utredningen.");

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var report = await db.LoadReportForChangeAsync(id, viewer, ct);
        if (report is null) return Problems.NotFound();

        switch (trigger)
        {
            case ConcernReportTrigger.AssessProtection:
                report.AssessProtection(request.Assessment ?? "", request.ImmediateProtectionNeeded!.Value, viewer.UserId, viewer.Party, now);
                break;
            case ConcernReportTrigger.OpenInvestigation:
                report.OpenInvestigation(request.Reason, viewer.UserId, viewer.Party, now, rules.Value);
                break;
            case ConcernReportTrigger.DecideNoInvestigation:
                report.DecideNoInvestigation(request.Reason, viewer.UserId, viewer.Party, now, rules.Value);
                break;
            case ConcernReportTrigger.ExtendInvestigation:
                report.ExtendInvestigation(request.NewDueAt!.Value, request.Reason ?? "", viewer.UserId, viewer.Party, now, rules.Value);
                break;
            case ConcernReportTrigger.CloseInvestigation:
                report.CloseInvestigation(request.Reason, viewer.UserId, viewer.Party, now);
                break;
            case ConcernReportTrigger.RecordReporterFeedback:
                report.RecordReporterFeedback(viewer.UserId, viewer.Party, now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), trigger, null);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TransitionResult(report.Id, report.State.ToString(), ConcernReportDetail.ClientPermittedTriggers(report)));
    }
}
