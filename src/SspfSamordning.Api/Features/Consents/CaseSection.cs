using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Consents;

/// <summary>
/// Consents and meetings are part of the case's Basic information (as in <see cref="CaseDetail"/>): a caller
/// who may not see the case, or may see it without the Basic category, gets null here and answers 404 —
/// for a read and for a change alike. Used by the Consents and the Meetings endpoints.
/// </summary>
internal static class CaseSection
{
    public static async Task<Case?> ReadAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct) =>
        SharedWith(await db.LoadForReadAsync(caseId, viewer, now, ct), viewer, now);

    public static async Task<Case?> ChangeAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct) =>
        SharedWith(await db.LoadForChangeAsync(caseId, viewer, now, ct), viewer, now);

    /// <summary>
    /// GET of a child collection: one page of <paramref name="list"/>'s views, in its order, or 404. Paged in
    /// memory: a case holds few consents and meetings, and the aggregate is needed anyway to decide visibility.
    /// </summary>
    public static async Task<Results<Ok<PagedList<TView>>, ProblemHttpResult>> ListAsync<TView>(
        SspfDbContext db, Guid caseId, ClaimsPrincipal principal, TimeProvider time, int? page, int? pageSize,
        Func<Case, DateTimeOffset, IEnumerable<TView>> list, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var now = time.GetUtcNow();
        if (await ReadAsync(db, caseId, Viewer.From(principal), now, ct) is not { } @case) return Problems.NotFound();
        var all = list(@case, now).ToList();
        return TypedResults.Ok(new PagedList<TView>([.. all.Skip(paging.Skip).Take(paging.PageSize)], paging.Page, paging.PageSize, all.Count));
    }

    /// <summary>GET of one child: its view, or 404 when the case is not shared or holds no such child.</summary>
    public static async Task<Results<Ok<TView>, ProblemHttpResult>> GetAsync<TView>(
        SspfDbContext db, Guid caseId, ClaimsPrincipal principal, TimeProvider time, Func<Case, DateTimeOffset, TView?> find, CancellationToken ct)
        where TView : class
    {
        var now = time.GetUtcNow();
        var @case = await ReadAsync(db, caseId, Viewer.From(principal), now, ct);
        return @case is not null && find(@case, now) is { } view ? TypedResults.Ok(view) : Problems.NotFound();
    }

    private static Case? SharedWith(Case? @case, Viewer viewer, DateTimeOffset now) =>
        @case is not null && CaseAccess.CategoriesFor(@case, viewer, now).Contains(InformationCategory.Basic) ? @case : null;
}
