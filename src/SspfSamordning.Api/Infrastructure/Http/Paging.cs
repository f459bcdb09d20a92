using SspfSamordning.Domain;

namespace SspfSamordning.Api.Infrastructure.Http;

/// <summary>One page of a collection. Every collection of the API is paged: <c>?page=&amp;pageSize=</c>, at most 100.</summary>
/// <param name="TotalCountCapped">True when the collection counts only up to a limit and holds more than
/// <paramref name="TotalCount"/> items (the case list, see <c>ListCases</c>); the pages beyond still answer.</param>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount, bool TotalCountCapped = false);

public readonly record struct Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 100;
    /// <summary>The last page anyone may ask for: (page − 1) × page size must be an offset the databases take (an int).</summary>
    public const int MaxPage = 1_000_000;

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Defaults: page 1, 25 items. Out-of-range values are a 400, never silently clamped.</summary>
    public static Paging From(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1) errors["page"] = ["Sidnumret börjar på 1."];
        else if (page is > MaxPage) errors["page"] = [$"Sidnumret kan vara högst {MaxPage}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Sidstorleken ska vara 1–{MaxPageSize}."];
        if (errors.Count > 0) throw new DomainValidationException(errors);
        return new Paging(page ?? 1, pageSize ?? 25);
    }
}
