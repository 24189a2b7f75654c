namespace FaultApi.EmergencyStop;

/// <summary>One agent's copy of the stop: acknowledged when it holds the cluster's version.</summary>
public sealed record AgentStopAcknowledgement(string NodeName, bool Acknowledged, bool? Engaged, long? Version, string? Error);
