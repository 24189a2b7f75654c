using FaultAgent.Limits;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Limits;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_BurstThenRefill_OneTokenPerIntervalAndExactWait()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, capacity: 3, ratePerSecond: 2);

        Assert.All(Enumerable.Range(0, 3), i => Assert.True(bucket.TryTake(out _)));
        Assert.False(bucket.TryTake(out var wait));
        Assert.InRange(wait.TotalMilliseconds, 499.9, 500.1);

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(bucket.TryTake(out wait));
        Assert.InRange(wait.TotalMilliseconds, 0.9, 1.1);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake(out _));

        time.Advance(TimeSpan.FromHours(1));
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(bucket.TryTake(out _)));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public void HasToken_TokensLeftOrNot_TakesNoneAndSaysTheWait()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, capacity: 1, ratePerSecond: 2);

        Assert.True(bucket.HasToken(out _));
        Assert.True(bucket.HasToken(out _)); // asking took nothing
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.HasToken(out var wait));
        Assert.InRange(wait.TotalMilliseconds, 499.9, 500.1);
    }

    [Fact]
    public void HasToken_RefilledToAHairUnderOneToken_WaitIsNeverZero()
    {
        // 4,999 refills of 10 µs at 20 tokens/s sum to 0.99999999999992 in doubles, not to 0.99998: the wait left is
        // 4e-15 s, which TimeSpan.FromSeconds makes zero (InjectionFloodTests saw a RetryInfo of 0 s in a real flood).
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, capacity: 1, ratePerSecond: 20);
        Assert.True(bucket.TryTake(out _));

        var refusals = 0;
        while (!bucket.HasToken(out var wait))
        {
            refusals++;
            Assert.True(wait >= TimeSpan.FromTicks(1), $"refusal {refusals} said to retry after {wait.Ticks} ticks");
            Assert.True(wait <= TimeSpan.FromMilliseconds(50), $"refusal {refusals} said to retry after {wait}");
            time.Advance(TimeSpan.FromTicks(100));
        }

        Assert.InRange(refusals, 4_999, 5_001);
    }
}
