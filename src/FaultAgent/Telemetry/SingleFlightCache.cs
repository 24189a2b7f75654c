namespace FaultAgent.Telemetry;

/// <summary>
/// Keeps the last value for a short time and lets concurrent callers share one in-flight production: however many callers
/// ask at once, the producer runs once. A failure is not kept (the next caller tries again) but is shared by everyone who
/// waited on that run. A caller's cancellation stops its wait, not the shared run (the producer has its own timeout).
/// </summary>
public sealed class SingleFlightCache<T>
    where T : class
{
    private readonly Func<CancellationToken, Task<T>> _produce;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _duration;
    private readonly Lock _gate = new();
    private (T Value, DateTimeOffset At)? _last;
    private Task<(T Value, DateTimeOffset At)>? _inFlight;

    public SingleFlightCache(Func<CancellationToken, Task<T>> produce, TimeProvider time, Func<TimeSpan> duration)
    {
        _produce = produce;
        _time = time;
        _duration = duration;
    }

    /// <summary>Returns the stored value while fresh (unless <paramref name="refresh"/>), else joins or starts a run.</summary>
    public async Task<CachedValue<T>> GetAsync(bool refresh, CancellationToken cancellationToken)
    {
        Task<(T Value, DateTimeOffset At)> flight;
        lock (_gate)
        {
            if (!refresh && _last is { } last && _time.GetUtcNow() - last.At < _duration())
            {
                return new CachedValue<T>(last.Value, last.At, FromCache: true);
            }

            // A refresh joins a run already under way: its result is at least as new as the request.
            _inFlight ??= RunAsync();
            flight = _inFlight;
        }

        var (value, at) = await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new CachedValue<T>(value, at, FromCache: false);
    }

    private async Task<(T Value, DateTimeOffset At)> RunAsync()
    {
        await Task.Yield(); // never run the producer under the lock
        try
        {
            var value = await _produce(CancellationToken.None).ConfigureAwait(false);
            var produced = (value, _time.GetUtcNow());
            lock (_gate)
            {
                _last = produced;
            }

            return produced;
        }
        finally
        {
            lock (_gate)
            {
                _inFlight = null;
            }
        }
    }
}
