using FaultAgent.Faults;

namespace FaultAgent.Paging;

/// <summary>
/// One page asked for: at most <see cref="Size"/> items after the cursor in <see cref="Token"/> (the contract's paging
/// rule, protos/fault_agent.proto above ListFaultsRequest).
/// </summary>
public sealed record PageRequest(int Size, string? Token)
{
    /// <summary>Items in a page when the caller does not say.</summary>
    public const int DefaultSize = 500;

    /// <summary>A larger page size is served as this many.</summary>
    public const int MaxSize = 1000;

    /// <summary>The first page at the default size.</summary>
    public static PageRequest First { get; } = new(DefaultSize, null);

    /// <summary>
    /// A <c>page_size</c> as the contract's messages carry it (0: the default; above the maximum: the maximum; negative: a
    /// violation of <paramref name="sizeField"/>) and <c>page_token</c>.
    /// </summary>
    public static PageRequest FromPageSize(int pageSize, string? pageToken, List<FaultFieldViolation> violations, string sizeField = "page_size")
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (pageSize < 0)
        {
            violations.Add(new(sizeField, "must be 0 (the default, " + DefaultSize + ") or a positive number of items"));
        }

        return new PageRequest(pageSize <= 0 ? DefaultSize : Math.Min(pageSize, MaxSize), string.IsNullOrEmpty(pageToken) ? null : pageToken);
    }

    /// <summary>A <c>limit</c> as the HTTP routes' query carries it (absent: the default; 0 or negative: a violation; above the maximum: the maximum) and <c>page_token</c>.</summary>
    public static PageRequest FromLimit(int? limit, string? pageToken, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (limit is < 1)
        {
            violations.Add(new("limit", "must be a positive number of items (at most " + MaxSize + " are returned)"));
        }

        return new PageRequest(limit is > 0 ? Math.Min(limit.Value, MaxSize) : DefaultSize, string.IsNullOrEmpty(pageToken) ? null : pageToken);
    }
}
