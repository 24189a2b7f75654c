namespace FaultAgent.Registry;

/// <summary>The open faults on the node at one moment: how many, and the earliest expiry among them (what the node's limits weigh).</summary>
public readonly record struct OpenFaults(int Count, DateTimeOffset? NextExpiry);
