namespace FaultApi.EmergencyStop;

/// <summary>What the cluster store holds, with the revision a compare-and-swap write must name.</summary>
/// <param name="State">The parsed state; null when the stored content is not a valid state (see <paramref name="Invalid"/>).</param>
/// <param name="Revision">The ConfigMap's resourceVersion, or the state file's content digest.</param>
/// <param name="Invalid">Why the stored content is not a valid state; null when it is.</param>
public sealed record StoredStopState(StopState? State, string Revision, string? Invalid);
