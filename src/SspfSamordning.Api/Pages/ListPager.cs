namespace SspfSamordning.Api.Pages;

/// <summary>"Föregående / Nästa" under a paged list (the _ListPager partial); <see cref="Link"/> builds the address of a page number.</summary>
public sealed record ListPager(int Page, int PageSize, int TotalCount, Func<int, string> Link)
{
    public int Pages => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
}
