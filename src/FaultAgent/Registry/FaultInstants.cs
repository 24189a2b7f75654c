namespace FaultAgent.Registry;

/// <summary>
/// A fault's <see cref="FaultRecord.InjectedAt"/> and <see cref="FaultRecord.ExpiresAt"/> as UTC ticks and offsets in
/// minutes (#14, the agent's memory): 24 bytes in the record instead of a <see cref="DateTimeOffset"/> and a
/// <see cref="Nullable{T}"/> of one (40). The same instants and offsets are read back, and two compare equal exactly when
/// their instants do (as <see cref="DateTimeOffset.Equals(DateTimeOffset)"/>: the offsets are not compared).
/// </summary>
internal readonly struct FaultInstants : IEquatable<FaultInstants>
{
    private readonly long _injectedUtcTicks;

    // 0: no expiry; else the expiry's UTC ticks + 1.
    private readonly long _expiresUtcTicksPlusOne;

    private readonly short _injectedOffsetMinutes;
    private readonly short _expiresOffsetMinutes;

    private FaultInstants(long injectedUtcTicks, short injectedOffsetMinutes, long expiresUtcTicksPlusOne, short expiresOffsetMinutes)
    {
        _injectedUtcTicks = injectedUtcTicks;
        _injectedOffsetMinutes = injectedOffsetMinutes;
        _expiresUtcTicksPlusOne = expiresUtcTicksPlusOne;
        _expiresOffsetMinutes = expiresOffsetMinutes;
    }

    public DateTimeOffset InjectedAt => At(_injectedUtcTicks, _injectedOffsetMinutes);

    public DateTimeOffset? ExpiresAt => _expiresUtcTicksPlusOne == 0 ? null : At(_expiresUtcTicksPlusOne - 1, _expiresOffsetMinutes);

    public FaultInstants WithInjectedAt(DateTimeOffset injectedAt) =>
        new(injectedAt.UtcTicks, (short)injectedAt.TotalOffsetMinutes, _expiresUtcTicksPlusOne, _expiresOffsetMinutes);

    public FaultInstants WithExpiresAt(DateTimeOffset? expiresAt) =>
        new(_injectedUtcTicks, _injectedOffsetMinutes, expiresAt is { } at ? at.UtcTicks + 1 : 0, (short)(expiresAt?.TotalOffsetMinutes ?? 0));

    public bool Equals(FaultInstants other) => _injectedUtcTicks == other._injectedUtcTicks && _expiresUtcTicksPlusOne == other._expiresUtcTicksPlusOne;

    public override bool Equals(object? obj) => obj is FaultInstants other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_injectedUtcTicks, _expiresUtcTicksPlusOne);

    /// <summary>The instant <paramref name="utcTicks"/> read at the offset <paramref name="offsetMinutes"/> (how a held instant is read back; kernel records' read time too).</summary>
    internal static DateTimeOffset At(long utcTicks, short offsetMinutes) =>
        new(utcTicks + (offsetMinutes * TimeSpan.TicksPerMinute), TimeSpan.FromMinutes(offsetMinutes));
}
