namespace FaultInjection.Client.EmergencyStop;

/// <summary>One agent's copy of the stop: <see cref="Acknowledged"/> when it holds the cluster's version, else <see cref="Error"/>.</summary>
public sealed class AgentStopAcknowledgement
{
    public string NodeName { get; init; } = "";

    public bool Acknowledged { get; init; }

    public bool? Engaged { get; init; }

    public long? Version { get; init; }

    public string? Error { get; init; }
}
