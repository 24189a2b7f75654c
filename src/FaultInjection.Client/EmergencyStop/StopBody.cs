namespace FaultInjection.Client.EmergencyStop;

/// <summary>Body of <c>POST /api/v1/stop</c>.</summary>
internal sealed class StopBody
{
    public string Reason { get; init; } = "";
}
