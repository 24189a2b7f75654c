using System.Runtime.CompilerServices;
using FaultApi.Routing;
using FaultApi.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FaultApi.Tests.Routing;

/// <summary>The informer alone: a failing list waits for the backoff on the injected clock before it retries.</summary>
public sealed class ResourceInformerBackoffTests
{
    [Fact]
    public async Task RunAsync_ListFails_RetriesOnlyAfterTheBackoffElapsed()
    {
        var time = new FakeTimeProvider();
        var informer = new FailingInformer(time, failures: 2);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        // Time moves only when the test moves it, in 5 ms steps, until the third list succeeded.
        await Eventually.TrueAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(5));
                return informer.HasSynced;
            },
            "the list that succeeds after two backoffs (25-50 ms, then 50-100 ms)");

        var at = informer.ListTimes;
        Assert.Equal(3, at.Count);
        Assert.InRange((at[1] - at[0]).TotalMilliseconds, 25, 55);
        Assert.InRange((at[2] - at[1]).TotalMilliseconds, 50, 105);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public void Backoff_GrowsExponentiallyWithJitter_AndIsCapped()
    {
        var informer = new FailingInformer(new FakeTimeProvider(), failures: 0);
        for (var n = 1; n <= 12; n++)
        {
            var ceiling = Math.Min(1000, 100 * Math.Pow(2, n - 1));
            var delay = informer.Backoff(n).TotalMilliseconds;
            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }

    private sealed class FailingInformer(TimeProvider time, int failures)
        : KubernetesResourceInformer<V1Pod>(time, NullLogger.Instance, TimeSpan.FromMilliseconds(failures == 0 ? 100 : 50), TimeSpan.FromMilliseconds(1000))
    {
        private readonly TimeProvider _clock = time;
        private readonly List<DateTimeOffset> _listTimes = [];
        private int _listCalls;

        public IReadOnlyList<DateTimeOffset> ListTimes
        {
            get
            {
                lock (_listTimes)
                {
                    return [.. _listTimes];
                }
            }
        }

        protected override string Kind => "Pod";

        protected override Task<(IReadOnlyList<V1Pod> Items, string? ResourceVersion)> ListAsync(CancellationToken cancellationToken)
        {
            lock (_listTimes)
            {
                _listTimes.Add(_clock.GetUtcNow());
            }

            var call = Interlocked.Increment(ref _listCalls);
            return call <= failures
                ? Task.FromException<(IReadOnlyList<V1Pod>, string?)>(new HttpRequestException("connection refused"))
                : Task.FromResult<(IReadOnlyList<V1Pod>, string?)>(([], "1"));
        }

        protected override async IAsyncEnumerable<(WatchEventType Type, V1Pod Item)> WatchAsync(string? resourceVersion, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            yield break;
        }
    }
}
