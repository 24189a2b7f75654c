namespace FaultApi.Drills;

/// <summary>The final server-sent event of a drill (<c>event: verdict</c>).</summary>
public sealed record DrillVerdict(string DrillId, DrillState State, string? Reason, IReadOnlyList<string> Missing, DateTimeOffset? EndedAt, int Steps);
