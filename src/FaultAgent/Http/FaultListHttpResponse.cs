namespace FaultAgent.Http;

/// <summary>GET /faults: one page of the node's faults; <c>next_page_token</c> is null on the last page; <c>total_size</c> counts every matching fault.</summary>
public sealed record FaultListHttpResponse(string NodeName, IReadOnlyList<FaultResource> Faults, string? NextPageToken, int TotalSize);
