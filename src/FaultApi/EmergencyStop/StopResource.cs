namespace FaultApi.EmergencyStop;

/// <summary>The body of <c>GET/POST/DELETE /api/v1/stop</c>.</summary>
public sealed record StopResource(bool Engaged, string ChangedBy, DateTimeOffset? ChangedAt, string Reason, long Version, IReadOnlyList<AgentStopAcknowledgement> Agents);
