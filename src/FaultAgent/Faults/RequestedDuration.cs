namespace FaultAgent.Faults;

/// <summary>
/// A fault's duration as a caller sent it, converted exactly; a value too large (or too negative) for a
/// <see cref="TimeSpan"/> is held just past the longest allowed one, so <see cref="FaultRequestValidator.CheckDuration"/>
/// refuses it with the same message as any other out-of-range duration (never a sentinel value).
/// </summary>
public static class RequestedDuration
{
    private static readonly long BeyondSeconds = (long)FaultRequestValidator.MaxDuration.TotalSeconds + 1;

    /// <summary>From seconds (the HTTP body's <c>duration</c>); NaN, which no JSON number is, counts as zero.</summary>
    public static TimeSpan FromSeconds(double seconds) =>
        double.IsNaN(seconds) ? TimeSpan.Zero
        : seconds >= BeyondSeconds ? TimeSpan.FromSeconds(BeyondSeconds)
        : seconds <= -BeyondSeconds ? TimeSpan.FromSeconds(-BeyondSeconds)
        : TimeSpan.FromSeconds(seconds);

    /// <summary>From seconds and nanoseconds (a google.protobuf.Duration's two fields), exact to the tick.</summary>
    public static TimeSpan FromSecondsAndNanos(long seconds, int nanos) =>
        TimeSpan.FromTicks((Math.Clamp(seconds, -BeyondSeconds, BeyondSeconds) * TimeSpan.TicksPerSecond) + (nanos / 100));
}
