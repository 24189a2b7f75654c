namespace FaultInjection.Client.EmergencyStop;

/// <summary>The members of the API's <c>423 Locked</c> problem: who engaged the emergency stop, when and why.</summary>
public sealed class EmergencyStopProblem
{
    public string StoppedBy { get; init; } = "";

    public DateTimeOffset? StoppedAt { get; init; }

    public string Reason { get; init; } = "";
}
