namespace FaultInjection.Client.Suites;

/// <summary><c>GET /api/v1/suites</c>: one page, newest first.</summary>
public sealed class SuiteList
{
    /// <summary>The suites on this page, newest first.</summary>
    public IReadOnlyList<Suite> Suites { get; init; } = [];

    /// <summary>How many suites this page holds.</summary>
    public int Count { get; init; }

    /// <summary>The next page's token (pass it as <c>pageToken</c>); null on the last page.</summary>
    public string? NextPageToken { get; init; }
}
