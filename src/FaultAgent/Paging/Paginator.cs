using System.Globalization;
using FaultAgent.Faults;

namespace FaultAgent.Paging;

/// <summary>
/// Cuts a list into pages by cursor (keyset paging). Each item has a sort key of string parts compared ordinally part by
/// part (numbers go in as fixed-width digits via <see cref="Number(long)"/>, so that they compare as numbers); the list is
/// ordered by that key (ascending, or descending for newest-first lists), and a page holds the items after the token's
/// key. Because a page starts after a key rather than at an offset, items added or removed between calls neither repeat
/// nor shift the pages.
/// </summary>
public static class Paginator
{
    /// <summary>
    /// The page <paramref name="request"/> asks for of <paramref name="items"/> (any order; sorted here by
    /// <paramref name="key"/>). <paramref name="list"/> and <paramref name="filter"/> name the list and its filter in the
    /// tokens; a token of another list or filter throws <see cref="InvalidRequestException"/> (field page_token).
    /// </summary>
    public static Page<T> Take<T>(IEnumerable<T> items, Func<T, string[]> key, PageRequest request, string list, string filter, bool descending = false)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        string[]? after = null;
        if (request.Token is { } token)
        {
            var violations = new List<FaultFieldViolation>();
            after = [.. PageToken.Decode(token, list, filter, violations)?.After ?? []];
            FaultRequestValidator.ThrowIfAny(violations);
        }

        var sign = descending ? -1 : 1;
        var keyed = items.Select(item => (Item: item, Key: key(item))).ToList();
        keyed.Sort((a, b) => sign * Compare(a.Key, b.Key));
        var remaining = after is null ? keyed : [.. keyed.Where(k => sign * Compare(k.Key, after) > 0)];
        var page = remaining.Take(request.Size).ToList();
        var next = remaining.Count > page.Count ? new PageToken(list, filter, page[^1].Key).Encode() : null;
        return new Page<T>([.. page.Select(p => p.Item)], next, keyed.Count);
    }

    /// <summary>A number as a key part that compares ordinally like the number (non-negative values).</summary>
    public static string Number(long value) => value.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>An unsigned number as a key part.</summary>
    public static string Number(ulong value) => value.ToString("D20", CultureInfo.InvariantCulture);

    private static int Compare(string[] left, string[] right)
    {
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var c = string.CompareOrdinal(left[i], right[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return left.Length.CompareTo(right.Length);
    }
}
