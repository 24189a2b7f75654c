namespace FaultApi.Drills;

/// <summary>Answer of <c>GET /api/v1/drills</c>: one page, newest first (then drill id), <c>count</c> on this page, and the next page's token (<c>null</c> on the last).</summary>
public sealed record DrillListResource(IReadOnlyList<DrillRecord> Drills, int Count, string? NextPageToken);
