using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SspfSamordning.Api.Features.Statistics;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Persistence;

namespace SspfSamordning.Api.Pages.Statistics;

/// <summary>
/// /statistik: the medborgarlöfte figures — the API's <see cref="GetStatistics"/> behind a form (same policy, same
/// validation, same small-number protection, same access-log event; a municipality the person may not see answers
/// the one 404 page). The exports (Format=csv, Format=json) are the API's own answers, served to the web session.
/// The form is a GET: it changes nothing, and its address can be kept as a bookmark.
/// </summary>
[Authorize(Policy = Policies.Statistics)]
public sealed class IndexModel(SspfDbContext db, TimeProvider time, IAuditContext audit, AuditLog log) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? MunicipalityId { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Breakdown { get; set; }
    [BindProperty(SupportsGet = true)] public string? Format { get; set; }

    public IReadOnlyList<GetStatistics.MunicipalityOption> Municipalities { get; private set; } = [];
    public GetStatistics.StatisticsView? Statistics { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Municipalities = await GetStatistics.MunicipalitiesOfAsync(db, User, ct);
        // The first visit shows the person's first municipality; the use case still checks whatever was asked for.
        if (string.IsNullOrWhiteSpace(MunicipalityId) && Municipalities.Count > 0) MunicipalityId = Municipalities[0].Id.ToString();
        var result = await GetStatistics.Handle(db, User, time, audit, log, HttpContext, ct,
            Blank(MunicipalityId), Blank(From), Blank(To), Blank(Breakdown), Blank(Format));
        switch (result.Result)
        {
            case Ok<GetStatistics.StatisticsView> ok when string.Equals(Format, "json", StringComparison.OrdinalIgnoreCase):
                return new Answer(ok);
            case Ok<GetStatistics.StatisticsView> ok:
                Statistics = ok.Value;
                return Page();
            case FileContentHttpResult file:
                return new Answer(file);
            case ValidationProblem invalid:
                invalid.AddTo(ModelState);
                return Page();
            case ProblemHttpResult { StatusCode: StatusCodes.Status429TooManyRequests }:
                return StatusCode(StatusCodes.Status429TooManyRequests); // the Swedish 429 page (too many statistics requests at once)
            default:
                return NotFound(); // the municipality does not exist or is not the person's: the one 404 page
        }
    }

    /// <summary>An empty form field is an omitted parameter, as in the API.</summary>
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The export link for one format, for the figures shown.</summary>
    public string ExportUrl(string format) =>
        Statistics is not { } s ? "" : FormattableString.Invariant(
            $"/statistik?MunicipalityId={s.MunicipalityId}&From={s.From:yyyy-MM-dd}&To={s.To:yyyy-MM-dd}&Breakdown={s.Breakdown.ToLowerInvariant()}&Format={format}");

    /// <summary>The API's own answer (its JSON options, its CSV file) written as the page's response.</summary>
    private sealed class Answer(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
