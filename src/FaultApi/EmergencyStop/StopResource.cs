namespace FaultApi.EmergencyStop;

/// <summary>The body of <c>GET/POST/DELETE /api/v1/stop</c>.</summary>
/// <param name="Expiring">Nodes whose agent still holds active faults under the engaged stop (it keeps expiring them).</param>
public sealed record StopResource(bool Engaged, string ChangedBy, DateTimeOffset? ChangedAt, string Reason, long Version, IReadOnlyList<AgentStopAcknowledgement> Agents, IReadOnlyList<string> Expiring);
