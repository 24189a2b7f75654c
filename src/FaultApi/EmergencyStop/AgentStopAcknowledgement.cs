namespace FaultApi.EmergencyStop;

/// <summary>One agent's copy of the stop: acknowledged when it holds the cluster's version.</summary>
/// <param name="NodeName">The node.</param>
/// <param name="Acknowledged">The agent holds the cluster's version (and so refuses, or accepts, injections as the cluster does).</param>
/// <param name="Engaged">The agent's state; null when it did not answer.</param>
/// <param name="Version">The agent's version; null when it did not answer.</param>
/// <param name="Error">Why it did not answer; null when it did.</param>
/// <param name="ExpiringFaults">While engaged: active faults the agent has not expired yet (it retries until none is left).</param>
/// <param name="ExpiryError">Why the agent's last attempt to expire them failed; null when it did not.</param>
public sealed record AgentStopAcknowledgement(string NodeName, bool Acknowledged, bool? Engaged, long? Version, string? Error, int ExpiringFaults = 0, string? ExpiryError = null);
