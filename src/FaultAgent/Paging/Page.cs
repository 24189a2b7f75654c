namespace FaultAgent.Paging;

/// <summary>One page of a list: its items, the token of the next page (null on the last page) and how many items match in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken, int TotalSize);
