using System.Net;
using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// How many TokenReviews of tokens it did not accept each source address may cost the agent: a bucket of
/// <c>Agent:TokenReview:FailedReviewsPerSource</c> places per address, refilled evenly over
/// <c>Agent:TokenReview:FailedReviewWindow</c>. A review takes a place before it is made (so a burst of distinct tokens
/// at once cannot all pass) and gives it back when it accepts its token. It also remembers which addresses had a token
/// accepted within <see cref="ServiceAccountTokenAuthenticator.AcceptedMemory"/> (<see cref="AcceptedRecently"/>). At most
/// <see cref="MaxSources"/> addresses are followed: past it, full buckets of addresses without such an acceptance are
/// forgotten first, and a new address is refused until one frees.
/// </summary>
public sealed class FailedReviewLimiter(IOptions<TokenReviewOptions> options, TimeProvider timeProvider)
{
    public const int MaxSources = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];
    private readonly double _capacity = options.Value.FailedReviewsPerSource;
    private readonly TimeSpan _window = options.Value.FailedReviewWindow;

    /// <summary>Takes a place for <paramref name="source"/>; null when taken, else how long until one frees.</summary>
    public TimeSpan? TryTake(IPAddress? source)
    {
        var key = Key(source);
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                if (_buckets.Count >= MaxSources && !ForgetFull(now))
                {
                    return PerPlace;
                }

                bucket = new Bucket { Places = _capacity, Stamp = now };
                _buckets[key] = bucket;
            }

            Refill(bucket, now);
            if (bucket.Places >= 1)
            {
                bucket.Places--;
                return null;
            }

            return PerPlace * (1 - bucket.Places);
        }
    }

    /// <summary>Remembers that <paramref name="source"/> presented a token the agent accepted (not when the addresses followed are full).</summary>
    public void Accepted(IPAddress? source)
    {
        var key = Key(source);
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                if (_buckets.Count >= MaxSources && !ForgetFull(now))
                {
                    return;
                }

                bucket = new Bucket { Places = _capacity, Stamp = now };
                _buckets[key] = bucket;
            }

            bucket.AcceptedAt = now;
        }
    }

    /// <summary>True when <paramref name="source"/> presented a token the agent accepted within <see cref="ServiceAccountTokenAuthenticator.AcceptedMemory"/>.</summary>
    public bool AcceptedRecently(IPAddress? source)
    {
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            return _buckets.TryGetValue(Key(source), out var bucket) && AcceptedRecently(bucket, now);
        }
    }

    /// <summary>Gives back the place a review took (it accepted its token, or was not made).</summary>
    public void Return(IPAddress? source)
    {
        lock (_lock)
        {
            if (_buckets.TryGetValue(Key(source), out var bucket))
            {
                bucket.Places = Math.Min(_capacity, bucket.Places + 1);
            }
        }
    }

    private TimeSpan PerPlace => _window / _capacity;

    private static IPAddress Key(IPAddress? source) =>
        source is null ? IPAddress.None : source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;

    private void Refill(Bucket bucket, long now)
    {
        var elapsed = timeProvider.GetElapsedTime(bucket.Stamp, now);
        bucket.Stamp = now;
        bucket.Places = Math.Min(_capacity, bucket.Places + (elapsed / _window * _capacity));
    }

    private bool ForgetFull(long now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            Refill(bucket, now);
            if (bucket.Places >= _capacity && !AcceptedRecently(bucket, now))
            {
                _buckets.Remove(key);
            }
        }

        return _buckets.Count < MaxSources;
    }

    private bool AcceptedRecently(Bucket bucket, long now) =>
        bucket.AcceptedAt is { } accepted && timeProvider.GetElapsedTime(accepted, now) < ServiceAccountTokenAuthenticator.AcceptedMemory;

    private sealed class Bucket
    {
        public double Places { get; set; }

        public long Stamp { get; set; }

        /// <summary>When a token from this address was last accepted.</summary>
        public long? AcceptedAt { get; set; }
    }
}
