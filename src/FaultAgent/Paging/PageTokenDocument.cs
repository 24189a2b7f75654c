namespace FaultAgent.Paging;

/// <summary>What a page token encodes (see <see cref="PageToken"/>).</summary>
internal sealed record PageTokenDocument(int Version, string? List, string? Filter, string[]? After);
