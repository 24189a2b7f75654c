namespace FaultApi.Suites;

/// <summary>Answer of <c>GET /api/v1/suites</c>: one page, newest first (then suite id), <c>count</c> on this page, and the next page's token (<c>null</c> on the last).</summary>
public sealed record SuiteListResource(IReadOnlyList<SuiteRecord> Suites, int Count, string? NextPageToken);
