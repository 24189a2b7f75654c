namespace FaultAgent.Telemetry;

/// <summary>A value from <see cref="SingleFlightCache{T}"/>: when it was produced and whether this caller got a stored copy.</summary>
public readonly record struct CachedValue<T>(T Value, DateTimeOffset ProducedAt, bool FromCache);
