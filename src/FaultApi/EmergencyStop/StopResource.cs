namespace FaultApi.EmergencyStop;

/// <summary>The body of <c>GET/POST/DELETE /api/v1/stop</c>.</summary>
/// <param name="Expiring">Nodes whose agent still holds active faults under the engaged stop (it keeps expiring them).</param>
/// <param name="Cancellations">
/// Engaging: each drill and suite running in the cluster when the stop was engaged, and what the stop did to it (every
/// one is attempted before the answer; one that failed names why). Empty otherwise (a release, a GET).
/// </param>
public sealed record StopResource(
    bool Engaged,
    string ChangedBy,
    DateTimeOffset? ChangedAt,
    string Reason,
    long Version,
    IReadOnlyList<AgentStopAcknowledgement> Agents,
    IReadOnlyList<string> Expiring,
    IReadOnlyList<StopCancellationOutcome> Cancellations)
{
    /// <summary>The same state with <paramref name="cancellations"/>.</summary>
    public StopResource With(IReadOnlyList<StopCancellationOutcome> cancellations) => this with { Cancellations = cancellations };
}
