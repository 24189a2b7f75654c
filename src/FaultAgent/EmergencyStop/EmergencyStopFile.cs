namespace FaultAgent.EmergencyStop;

/// <summary>The content of <c>emergency-stop.json</c>: the current state and the recent changes (the node's audit of stops).</summary>
public sealed record EmergencyStopFile
{
    public required EmergencyStopState Current { get; init; }

    /// <summary>Every applied change, oldest first, at most <see cref="EmergencyStopStore.MaxHistory"/>.</summary>
    public IReadOnlyList<EmergencyStopState> History { get; init; } = [];
}
