namespace FaultApi.EmergencyStop;

/// <summary>The body of <c>POST /api/v1/stop</c> (and, optionally, of <c>DELETE</c>).</summary>
public sealed record StopBody(string? Reason);
