using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.ConcernReports;

/// <summary>
/// POST /api/concern-reports/{id}/transitions {trigger, assessment?, immediateProtectionNeeded?, reason?, newDueAt?}:
/// socialtjänst moves the report through its workflow (and records the återkoppling). The domain decides what is
/// allowed; a refused trigger is a 409 with the current state and the permitted triggers.
/// </summary>
public static class ConcernReportTransitions
{
    public sealed record Request(ConcernReportCommand? Trigger, string? Assessment, bool? ImmediateProtectionNeeded, string? Reason, DateTimeOffset? NewDueAt);

    public static void Map(RouteGroupBuilder reports) =>
        reports.MapPost("/{id:guid}/transitions", Handle).RequireAuthorization(Policies.SocialServices);

    private static async Task<Results<Ok<TransitionResult>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IOptions<CaseRules> rules, CancellationToken ct)
    {
        if (request.Trigger is not { } trigger)
            return Problems.Validation("trigger", $"Ange en av: {string.Join(", ", Enum.GetNames<ConcernReportCommand>())}.");
        if (trigger == ConcernReportCommand.AssessProtection && request.ImmediateProtectionNeeded is null)
            return Problems.Validation("immediateProtectionNeeded", "Ange om barnet behöver omedelbart skydd.");
        if (trigger == ConcernReportCommand.ExtendInvestigation && request.NewDueAt is null)
            return Problems.Validation("newDueAt", "Ange den nya tidsgränsen för utredningen.");

        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var report = await db.LoadReportForChangeAsync(id, viewer, ct);
        if (report is null) return Problems.NotFound();

        switch (trigger)
        {
            case ConcernReportCommand.AssessProtection:
                report.AssessProtection(request.Assessment ?? "", request.ImmediateProtectionNeeded!.Value, viewer.UserId, viewer.Party, now);
                break;
            case ConcernReportCommand.OpenInvestigation:
                report.OpenInvestigation(request.Reason, viewer.UserId, viewer.Party, now, rules.Value);
                break;
            case ConcernReportCommand.DecideNoInvestigation:
                report.DecideNoInvestigation(request.Reason, viewer.UserId, viewer.Party, now, rules.Value);
                break;
            case ConcernReportCommand.ExtendInvestigation:
                report.ExtendInvestigation(request.NewDueAt!.Value, request.Reason ?? "", viewer.UserId, viewer.Party, now, rules.Value);
                break;
            case ConcernReportCommand.CloseInvestigation:
                report.CloseInvestigation(request.Reason, viewer.UserId, viewer.Party, now);
                break;
            case ConcernReportCommand.RecordReporterFeedback:
                report.RecordReporterFeedback(viewer.Party, now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), trigger, null);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TransitionResult(report.Id, report.State.ToString(), ConcernReportDetail.ClientPermittedTriggers(report)));
    }
}
