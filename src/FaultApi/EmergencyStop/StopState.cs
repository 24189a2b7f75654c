namespace FaultApi.EmergencyStop;

/// <summary>The cluster-wide emergency stop.</summary>
/// <param name="Engaged">True while every injection is refused.</param>
/// <param name="ChangedBy">Who engaged or released it, as the agents record callers (<c>&lt;api token name&gt;/&lt;caller&gt;</c> is the agents' form; the API stores its caller name).</param>
/// <param name="ChangedAt">When.</param>
/// <param name="Reason">Why.</param>
/// <param name="Version">Strictly increasing across changes (Unix milliseconds of the change, at least the previous + 1).</param>
public sealed record StopState(bool Engaged, string ChangedBy, DateTimeOffset ChangedAt, string Reason, long Version)
{
    public static StopState Never { get; } = new(false, "", DateTimeOffset.UnixEpoch, "", 0);

    /// <summary>The next version after <paramref name="previous"/> for a change at <paramref name="now"/>.</summary>
    public static long NextVersion(long previous, DateTimeOffset now) => Math.Max(now.ToUnixTimeMilliseconds(), previous + 1);
}
