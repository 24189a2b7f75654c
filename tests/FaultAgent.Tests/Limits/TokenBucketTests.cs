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
}
