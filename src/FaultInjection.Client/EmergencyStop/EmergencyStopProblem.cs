namespace FaultInjection.Client.EmergencyStop;

/// <summary>The members of the API's <c>423 Locked</c> problem: who engaged the emergency stop, when and why.</summary>
public sealed class EmergencyStopProblem
{
    /// <summary>Who engaged the stop.</summary>
    public string StoppedBy { get; init; } = "";

    /// <summary>When the stop was engaged.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>The reason given when it was engaged.</summary>
    public string Reason { get; init; } = "";
}
