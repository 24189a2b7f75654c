namespace FaultApi.Drills;

/// <summary>Answer of <c>GET /api/v1/drills</c>: newest first.</summary>
public sealed record DrillListResource(IReadOnlyList<DrillRecord> Drills, int Count);
