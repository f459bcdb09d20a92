using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Cases;

/// <summary>
/// One section inside a case (consents, meetings, interventions, follow-ups, disclosures), exactly as
/// <see cref="CaseDetail"/> shows it to this caller. A case the caller may not see, a section absent for them,
/// or an item outside what they may see: 404, all alike. Paged in memory: a case holds few of each, and the
/// aggregate is loaded anyway to decide what the caller may see.
/// </summary>
public static class CaseSection
{
    /// <summary>The caller's view of a section, or null when the section is not shared with them at all.</summary>
    public delegate IReadOnlyList<T>? Select<T>(Case @case, Viewer viewer, DateTimeOffset now);

    /// <summary>A section of the Basic category (consents, meetings, follow-ups): all of it, or nothing.</summary>
    public static Select<T> Basic<T>(Func<Case, DateTimeOffset, IEnumerable<T>> section) =>
        (c, viewer, now) => SharesBasic(c, viewer, now) ? [.. section(c, now)] : null;

    /// <summary>A section of the Basic category whose view depends on the caller (e.g. masking): all of it, or nothing.</summary>
    public static Select<T> Basic<T>(Func<Case, Viewer, DateTimeOffset, IEnumerable<T>> section) =>
        (c, viewer, now) => SharesBasic(c, viewer, now) ? [.. section(c, viewer, now)] : null;

    public static async Task<Results<Ok<PagedList<T>>, ProblemHttpResult>> ListAsync<T>(
        Guid caseId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, int? page, int? pageSize, Select<T> section,
        CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var items = await ReadAsync(caseId, principal, db, time, section, ct);
        return items is null
            ? Problems.NotFound()
            : TypedResults.Ok(new PagedList<T>([.. items.Skip(paging.Skip).Take(paging.PageSize)], paging.Page, paging.PageSize, items.Count));
    }

    public static async Task<Results<Ok<T>, ProblemHttpResult>> GetAsync<T>(
        Guid caseId, Guid itemId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, Select<T> section, Func<T, Guid> idOf,
        CancellationToken ct) where T : class
    {
        var items = await ReadAsync(caseId, principal, db, time, section, ct);
        return items?.FirstOrDefault(i => idOf(i) == itemId) is { } item ? TypedResults.Ok(item) : Problems.NotFound();
    }

    /// <summary>The aggregate for a change of a Basic section, or null (404) when the caller may not see that section.</summary>
    public static async Task<Case?> ChangeAsync(SspfDbContext db, Guid caseId, Viewer viewer, DateTimeOffset now, CancellationToken ct) =>
        Shared(await db.LoadForChangeAsync(caseId, viewer, now, ct), viewer, now);

    /// <summary>The case a change may be made to (it shares the basic category with the caller), else null.</summary>
    public static Case? Shared(Case? @case, Viewer viewer, DateTimeOffset now) =>
        @case is not null && SharesBasic(@case, viewer, now) ? @case : null;

    private static async Task<IReadOnlyList<T>?> ReadAsync<T>(
        Guid caseId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, Select<T> section, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForReadAsync(caseId, viewer, now, ct);
        return @case is null ? null : section(@case, viewer, now);
    }

    private static bool SharesBasic(Case @case, Viewer viewer, DateTimeOffset now) =>
        CaseAccess.CategoriesFor(@case, viewer, now).Contains(InformationCategory.Basic);
}
