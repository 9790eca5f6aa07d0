namespace Platform.ServiceDefaults;

/// <summary>
/// The one shape of every list the platform's APIs answer: a page of <paramref name="Items"/>, which page it is
/// (1-based, as asked for after <c>Paging</c> bounded it), its size, and how many items the whole list has.
/// A page past the end has no items and the same total. A list with more to say (the inbox's unread count) derives from
/// this and adds its field beside these.
/// </summary>
public record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
