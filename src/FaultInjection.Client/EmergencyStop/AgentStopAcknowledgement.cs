namespace FaultInjection.Client.EmergencyStop;

/// <summary>One agent's copy of the stop: <see cref="Acknowledged"/> when it holds the cluster's version, else <see cref="Error"/>.</summary>
public sealed class AgentStopAcknowledgement
{
    /// <summary>The agent's node.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>True when the agent confirmed the stop state.</summary>
    public bool Acknowledged { get; init; }

    /// <summary>The stop state the agent reported; null when it did not answer.</summary>
    public bool? Engaged { get; init; }

    /// <summary>The stop state's version the agent holds.</summary>
    public long? Version { get; init; }

    /// <summary>Why the agent did not acknowledge.</summary>
    public string? Error { get; init; }
}
