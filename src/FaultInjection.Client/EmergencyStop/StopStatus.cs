namespace FaultInjection.Client.EmergencyStop;

/// <summary>The emergency stop as <c>GET/POST/DELETE /api/v1/stop</c> return it, with each agent's acknowledgement.</summary>
public sealed class StopStatus
{
    public bool Engaged { get; init; }

    /// <summary>Who engaged or released it (the API's caller name).</summary>
    public string ChangedBy { get; init; } = "";

    public DateTimeOffset? ChangedAt { get; init; }

    public string Reason { get; init; } = "";

    /// <summary>Strictly increasing across changes.</summary>
    public long Version { get; init; }

    public IReadOnlyList<AgentStopAcknowledgement> Agents { get; init; } = [];
}
