using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SspfSamordning.Api.Infrastructure.Audit;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Encryption;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// GET /api/cases?state=&amp;party=&amp;due=&amp;page=&amp;pageSize=: the cases the caller may see, newest first.
/// <c>party</c>: cases with a member of that party; <c>due</c>: cases with an open deadline due on or before that date.
/// </summary>
/// <remarks>
/// The total is counted up to <c>Cases:ListCountLimit</c> (default 1,000), then reported as that limit with
/// <c>totalCountCapped</c>: an exact count reads every visible case's index entry on every page, so its cost grows
/// with the municipality (34 ms of a list request at 100,000 cases, bench/results/load-explain.txt), while a page is
/// served in index order at the same cost at any size. Nobody pages through a thousand cases; they filter.
/// Two statements per page (issue 22): the visible page's ids with their data keys and its total, then its cases by id
/// (bench/results/load.md, "Round five" and "Round ten (issue 22, canon)").
/// </remarks>
public static class ListCases
{
    public static void Map(RouteGroupBuilder cases) =>
        cases.MapGet("/", Handle).RequireAuthorization(Policies.CaseReader);

    internal static async Task<Ok<PagedList<CaseSummary>>> Handle(
        ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, IAuditContext audit, IConfiguration configuration, CancellationToken ct,
        CaseState? state = null, Party? party = null, DateOnly? due = null, int? page = null, int? pageSize = null)
    {
        var paging = Paging.From(page, pageSize);
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var query = db.VisibleCases(viewer, now);
        if (state is { } s) query = query.Where(c => c.State == s);
        if (party is { } p) query = query.Where(c => c.Members.Any(m => m.Party == p));
        if (due is { } d)
        {
            var before = SwedishCalendar.EndOfDay(d);
            query = query.Where(c => c.Deadlines.Any(x => x.State == DeadlineState.Open && x.DueAt <= before));
        }

        var limit = configuration.GetValue("Cases:ListCountLimit", 1000);
        // The page as the rule decides it on this request — ids, each case's data-key rows and the (capped) total in one
        // statement (the count an uncorrelated subquery, evaluated once: on PostgreSQL an InitPlan) —, then the cases by id
        // alone, as the case read does after its probe: the rule is evaluated once, not again for the rows. Every case has
        // its own data key: the page's keys are unwrapped into the ring before the rows are materialized (their youth's
        // columns are decrypted then, with their row's associated data), not looked up one case at a time.
        // The page size and the count's cap as constants in the SQL, and no OFFSET on the first page: with LIMIT $n or
        // OFFSET $n PostgreSQL estimates a generic plan costlier than a custom one and plans the statement on every call
        // (0.3 ms per list, as much as its execution: bench/results/load.md, round fifteen). Sizes are 1–100 and the cap is
        // configuration, so the texts are few; a later page's offset, which a caller could vary without end, stays a parameter.
        var (size, cap) = (paging.PageSize, limit + 1);
        var ordered = query.OrderByDescending(c => c.OpenedAt).ThenBy(c => c.Id);
        var rows = await TakeAsConstant(paging.Skip == 0 ? ordered : ordered.Skip(paging.Skip), size).AsNoTracking()
            .Select(CaseAccess.WithKeys((_, c, keys) => new { c.Id, Keys = keys, Total = query.Take(EF.Constant(cap)).Count() }).On(db))
            .ToListAsync(ct);
        // An empty page has no row to carry the total: only a page past the end (or an empty list) counts on its own.
        var total = rows.Count > 0 ? rows[0].Total : paging.Skip == 0 ? 0 : await query.Take(cap).CountAsync(ct);
        var items = new List<CaseSummary>(rows.Count);
        if (rows.Count > 0)
        {
            KeyRings.Of(db).Preload(rows.SelectMany(r => r.Keys).ToList());
            var ids = rows.Select(r => r.Id).ToList();
            var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            // In the page's order; a case erased between the two statements is left out.
            foreach (var r in rows)
                if (cases.TryGetValue(r.Id, out var listed))
                {
                    items.Add(CaseSummary.From(listed, viewer));
                    audit.Read(AuditAction.List, listed.Id);
                }
        }
        return TypedResults.Ok(new PagedList<CaseSummary>(items, paging.Page, paging.PageSize, Math.Min(total, limit), total > limit));
    }

    /// <summary><c>Take(count)</c> with the count in the SQL text (EF makes a Take's argument a parameter otherwise).</summary>
    private static IQueryable<T> TakeAsConstant<T>(IQueryable<T> source, int count) =>
        source.Provider.CreateQuery<T>(Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(T)], source.Expression,
            Expression.Call(typeof(EF), nameof(EF.Constant), [typeof(int)], Expression.Constant(count))));
}
