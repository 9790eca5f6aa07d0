namespace Platform.ServiceDefaults;

/// <summary>
/// A list request's page, bounded: the size to 1..max, the page to 1..the last one whose offset fits in an int.
/// A page past the end is empty; an unbounded page number once overflowed the offset into a 500.
/// </summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public int Skip => (Page - 1) * PageSize;

    public static Paging Of(int page, int pageSize, int maxPageSize)
    {
        var size = Math.Clamp(pageSize, 1, maxPageSize);
        return new Paging(Math.Clamp(page, 1, int.MaxValue / size), size);
    }
}
