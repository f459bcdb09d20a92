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

    /// <summary>One page of a child collection of the aggregate (a case holds few consents and meetings).</summary>
    public static PagedList<TView> Page<T, TView>(IEnumerable<T> ordered, Paging paging, Func<T, TView> view)
    {
        var all = ordered.ToList();
        return new PagedList<TView>([.. all.Skip(paging.Skip).Take(paging.PageSize).Select(view)], paging.Page, paging.PageSize, all.Count);
    }

    private static Case? SharedWith(Case? @case, Viewer viewer, DateTimeOffset now) =>
        @case is not null && CaseAccess.CategoriesFor(@case, viewer, now).Contains(InformationCategory.Basic) ? @case : null;
}
