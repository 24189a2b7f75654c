namespace FaultAgent.EmergencyStop;

/// <summary>The node's emergency-stop state as the agent persists it.</summary>
/// <param name="Engaged">True while every injection is refused.</param>
/// <param name="ChangedBy">Who engaged or released it (<c>fault-api/alice</c>).</param>
/// <param name="ChangedAt">When it was engaged or released.</param>
/// <param name="Reason">Why (free text, may be empty).</param>
/// <param name="Version">
/// Strictly increasing across changes; a state that does not <see cref="Supersedes"/> the current one is ignored. Never
/// more than <see cref="MaxVersionLead"/> ahead of the agent's clock (Unix milliseconds).
/// </param>
public sealed record EmergencyStopState(bool Engaged, string ChangedBy, DateTimeOffset ChangedAt, string Reason, long Version)
{
    /// <summary>How far ahead of the agent's clock a version may be: further is refused, so no caller can pin the node to a version nobody can exceed.</summary>
    public static readonly TimeSpan MaxVersionLead = TimeSpan.FromDays(1);

    /// <summary>A node that never heard of a stop.</summary>
    public static EmergencyStopState Released { get; } = new(false, "", DateTimeOffset.UnixEpoch, "", 0);

    /// <summary>What an ended fault's record says when a stop expired it.</summary>
    public string EndedReason => string.IsNullOrEmpty(Reason) ? $"emergency stop by {ChangedBy}" : $"emergency stop by {ChangedBy}: {Reason}";

    /// <summary>The largest version acceptable at <paramref name="now"/>.</summary>
    public static long MaxVersionAt(DateTimeOffset now) => now.ToUnixTimeMilliseconds() + (long)MaxVersionLead.TotalMilliseconds;

    /// <summary>True when <paramref name="version"/> is positive and not more than a day ahead of <paramref name="now"/>.</summary>
    public static bool IsVersionAcceptable(long version, DateTimeOffset now) => version > 0 && version <= MaxVersionAt(now);

    /// <summary>
    /// True when this state wins over <paramref name="other"/>: a higher version, or the same version engaged where the other
    /// is released (at an equal version a stop wins: a release never undoes a stop it does not come after).
    /// </summary>
    public bool Supersedes(EmergencyStopState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Version > other.Version || (Version == other.Version && Engaged && !other.Engaged);
    }
}
