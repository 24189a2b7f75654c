namespace FaultApi.EmergencyStop;

/// <summary>The cluster-wide emergency stop.</summary>
/// <param name="Engaged">True while every injection is refused.</param>
/// <param name="ChangedBy">Who engaged or released it, as the agents record callers (<c>&lt;api token name&gt;/&lt;caller&gt;</c> is the agents' form; the API stores its caller name).</param>
/// <param name="ChangedAt">When.</param>
/// <param name="Reason">Why.</param>
/// <param name="Version">
/// Strictly increasing across changes: Unix milliseconds of the change, at least the stored version + 1, never more than
/// <see cref="MaxVersionLead"/> ahead of the clock (so no stored or pushed value can pin the stop to a version nobody can exceed).
/// </param>
public sealed record StopState(bool Engaged, string ChangedBy, DateTimeOffset ChangedAt, string Reason, long Version)
{
    /// <summary>How far ahead of the clock a version may be (the API and every agent refuse one further ahead).</summary>
    public static readonly TimeSpan MaxVersionLead = TimeSpan.FromDays(1);

    public static StopState Never { get; } = new(false, "", DateTimeOffset.UnixEpoch, "", 0);

    /// <summary>The largest version acceptable at <paramref name="now"/>.</summary>
    public static long MaxVersionAt(DateTimeOffset now) => now.ToUnixTimeMilliseconds() + (long)MaxVersionLead.TotalMilliseconds;

    /// <summary>True when <paramref name="version"/> is positive and not more than a day ahead of <paramref name="now"/>.</summary>
    public static bool IsVersionAcceptable(long version, DateTimeOffset now) => version > 0 && version <= MaxVersionAt(now);

    /// <summary>
    /// The next version after <paramref name="previous"/> for a change at <paramref name="now"/>; null when it would be
    /// more than a day ahead of <paramref name="now"/> (the previous version is itself out of bounds).
    /// </summary>
    public static long? NextVersion(long previous, DateTimeOffset now)
    {
        // Compared before adding, so no stored value (long.MaxValue included) can overflow it.
        return previous >= MaxVersionAt(now) ? null : Math.Max(now.ToUnixTimeMilliseconds(), previous + 1);
    }

    /// <summary>
    /// True when this state wins over <paramref name="other"/>: a higher version, or the same version engaged where the
    /// other is released (a stop is never undone by a release that does not come after it).
    /// </summary>
    public bool Supersedes(StopState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Version > other.Version || (Version == other.Version && Engaged && !other.Engaged);
    }

    /// <summary>"engaged by alice at ... (version N)", for problems and logs.</summary>
    public string Describe() =>
        Version == 0
            ? "never engaged"
            : $"{(Engaged ? "engaged" : "released")} by {(string.IsNullOrEmpty(ChangedBy) ? "(unknown)" : ChangedBy)} at {ChangedAt:O} (version {Version})";
}
