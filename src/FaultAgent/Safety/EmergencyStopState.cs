namespace FaultAgent.Safety;

/// <summary>The node's emergency-stop state as the agent persists it.</summary>
/// <param name="Engaged">True while every injection is refused.</param>
/// <param name="ChangedBy">Who engaged or released it (<c>fault-api/alice</c>).</param>
/// <param name="ChangedAt">When it was engaged or released.</param>
/// <param name="Reason">Why (free text, may be empty).</param>
/// <param name="Version">Strictly increasing across changes; a state with a lower version than the current one is ignored.</param>
public sealed record EmergencyStopState(bool Engaged, string ChangedBy, DateTimeOffset ChangedAt, string Reason, long Version)
{
    /// <summary>A node that never heard of a stop.</summary>
    public static EmergencyStopState Released { get; } = new(false, "", DateTimeOffset.UnixEpoch, "", 0);

    /// <summary>What an ended fault's record says when a stop expired it.</summary>
    public string EndedReason => string.IsNullOrEmpty(Reason) ? $"emergency stop by {ChangedBy}" : $"emergency stop by {ChangedBy}: {Reason}";
}
