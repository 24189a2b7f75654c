namespace FaultAgent.Limits;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>: holds at most <c>capacity</c> tokens, refills continuously at
/// <c>ratePerSecond</c>, starts full. Thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _ratePerSecond;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(TimeProvider timeProvider, double capacity, double ratePerSecond)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        _time = timeProvider;
        _capacity = capacity;
        _ratePerSecond = ratePerSecond;
        _tokens = capacity;
        _refilledAt = timeProvider.GetTimestamp();
    }

    /// <summary>Takes one token; when none is left, says how long until one is.</summary>
    public bool TryTake(out TimeSpan retryAfter) => Take(out retryAfter, take: true);

    /// <summary>Whether a token is there now, taking none; when none is, how long until one is.</summary>
    public bool HasToken(out TimeSpan retryAfter) => Take(out retryAfter, take: false);

    private bool Take(out TimeSpan retryAfter, bool take)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _ratePerSecond));
            _refilledAt = now;
            if (_tokens >= 1)
            {
                _tokens -= take ? 1 : 0;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            // Rounded up to whole ticks, at least one: refills summed in doubles can stop a hair under one token
            // (0.99999999999992 after 4,999 refills of 10 µs at 20/s), and TimeSpan.FromSeconds of the 4e-15 s left is
            // zero — a refusal that told its caller to try again at once.
            retryAfter = TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling((1 - _tokens) / _ratePerSecond * TimeSpan.TicksPerSecond)));
            return false;
        }
    }
}
