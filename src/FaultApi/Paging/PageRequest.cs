using FaultApi.Validation;

namespace FaultApi.Paging;

/// <summary>
/// The paging of one list request: at most <see cref="Limit"/> items after the cursor that <c>page_token</c> carried (none:
/// from the start). A token belongs to one list and one filter (<see cref="List"/>, <see cref="Filter"/>).
/// </summary>
public sealed record PageRequest(string List, string Filter, int Limit, string? After)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    /// <summary>A request with neither <c>limit</c> nor <c>page_token</c>: the whole list in one answer, as before the lists paged.</summary>
    public const int Unpaged = int.MaxValue - 1;

    /// <summary>
    /// Checks <c>limit</c> (1 to 1,000, default 500 once paging) and <c>page_token</c> (a token this list gave for this
    /// filter); errors are added to <paramref name="errors"/>. With neither, the list is not paged (<see cref="Unpaged"/>).
    /// </summary>
    public static PageRequest Read(RequestErrors errors, string list, string filter, int? limit, string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var checkedLimit = ApiInputRules.Range(errors, "limit", limit, 1, MaxLimit, required: false)
            ?? (limit is null && string.IsNullOrEmpty(pageToken) ? Unpaged : DefaultLimit);
        string? after = null;
        if (!string.IsNullOrEmpty(pageToken))
        {
            var cursor = PageToken.Decode(pageToken);
            if (cursor is null)
            {
                errors.Add("page_token", "is not a page token of this API (pass next_page_token exactly as it was given)");
            }
            else if (cursor.List != list || cursor.Filter != filter)
            {
                errors.Add("page_token", "belongs to another list or to other filters (ask again with the filters of the first page)");
            }
            else
            {
                after = cursor.After;
            }
        }

        return new PageRequest(list, filter, checkedLimit, after);
    }

    /// <summary>
    /// The page of <paramref name="items"/> (any order) that follows the cursor, in the order of <paramref name="keyOf"/>
    /// (ordinal), and the token of the next page (<c>null</c> on the last). A cursor is the last key returned, not an
    /// offset: items added or removed between calls neither repeat nor shift later pages.
    /// </summary>
    public (IReadOnlyList<T> Items, string? NextPageToken) Take<T>(IEnumerable<T> items, Func<T, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(keyOf);
        var keyed = items.Select(i => (Key: keyOf(i), Item: i));
        if (After is not null)
        {
            keyed = keyed.Where(k => string.CompareOrdinal(k.Key, After) > 0);
        }

        var page = keyed.OrderBy(k => k.Key, StringComparer.Ordinal).Take(Limit + 1).ToList();
        if (page.Count <= Limit)
        {
            return ([.. page.Select(k => k.Item)], null);
        }

        page.RemoveAt(Limit);
        return ([.. page.Select(k => k.Item)], PageToken.Encode(new PageCursor(List, Filter, page[^1].Key)));
    }
}
