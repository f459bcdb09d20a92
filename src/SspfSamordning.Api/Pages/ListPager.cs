namespace SspfSamordning.Api.Pages;

/// <summary>"Föregående / Nästa" under a paged list (the _ListPager partial); <see cref="Link"/> builds the address of a page number.</summary>
public sealed record ListPager(int Page, int PageSize, int TotalCount, Func<int, string> Link)
{
    public int Pages => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);

    /// <summary>A page number from an address (<c>?sida=</c>): one the API takes, else none — the first page, not an error page.</summary>
    public static int? Requested(int? page) => page is >= 1 and <= Infrastructure.Http.Paging.MaxPage ? page : null;
}
