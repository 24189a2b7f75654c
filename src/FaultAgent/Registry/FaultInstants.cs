namespace FaultAgent.Registry;

/// <summary>
/// How the registry reads back an instant it holds as UTC ticks and an offset in minutes (#14, the agent's memory): a
/// fault's <see cref="FaultRecord.InjectedAt"/> and <see cref="FaultRecord.ExpiresAt"/>, a kernel record's read-back
/// time. The same instant and offset are read back.
/// </summary>
internal static class FaultInstants
{
    /// <summary>The instant <paramref name="utcTicks"/> read at the offset <paramref name="offsetMinutes"/>.</summary>
    internal static DateTimeOffset At(long utcTicks, short offsetMinutes) =>
        new(utcTicks + (offsetMinutes * TimeSpan.TicksPerMinute), TimeSpan.FromMinutes(offsetMinutes));
}
