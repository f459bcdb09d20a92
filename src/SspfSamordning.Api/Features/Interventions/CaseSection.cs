using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SspfSamordning.Api.Features.Cases;
using SspfSamordning.Api.Infrastructure.Auth;
using SspfSamordning.Api.Infrastructure.Http;
using SspfSamordning.Api.Infrastructure.Persistence;
using SspfSamordning.Domain.Cases;

namespace SspfSamordning.Api.Features.Interventions;

/// <summary>
/// The reads of one section inside a case (interventions, follow-ups, disclosures): the case is loaded through the
/// visibility filter, and the section is exactly what <see cref="CaseDetail"/> would show this caller. A case the
/// caller may not see, a section absent for them, or an item outside what they may see: 404, all alike.
/// </summary>
public static class CaseSection
{
    /// <summary>The caller's view of a section, or null when the section is not shared with them at all.</summary>
    public delegate IReadOnlyList<T>? Select<T>(Case @case, Viewer viewer, DateTimeOffset now);

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

    private static async Task<IReadOnlyList<T>?> ReadAsync<T>(
        Guid caseId, ClaimsPrincipal principal, SspfDbContext db, TimeProvider time, Select<T> section, CancellationToken ct)
    {
        var viewer = Viewer.From(principal);
        var now = time.GetUtcNow();
        var @case = await db.LoadForReadAsync(caseId, viewer, now, ct);
        return @case is null ? null : section(@case, viewer, now);
    }
}
