namespace FaultInjection.Client.EmergencyStop;

/// <summary>The emergency stop as <c>GET/POST/DELETE /api/v1/stop</c> return it, with each agent's acknowledgement.</summary>
public sealed class StopStatus
{
    /// <summary>True while the emergency stop refuses every injection.</summary>
    public bool Engaged { get; init; }

    /// <summary>Who engaged or released it (the API's caller name).</summary>
    public string ChangedBy { get; init; } = "";

    /// <summary>When the stop was last engaged or released.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>The reason given with the last change.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Strictly increasing across changes.</summary>
    public long Version { get; init; }

    /// <summary>Each agent's acknowledgement of the state.</summary>
    public IReadOnlyList<AgentStopAcknowledgement> Agents { get; init; } = [];
}
