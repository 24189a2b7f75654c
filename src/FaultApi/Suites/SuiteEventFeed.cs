using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// The events of <c>GET /api/v1/suites/{id}/events</c>, written by the platform's server-sent events
/// (<c>TypedResults.ServerSentEvents</c>, as the drills' stream): the suite's progress (<c>event: drill_started</c>,
/// <c>drill_ended</c>, <c>suite_ended</c>; <c>id:</c> the entry's index), earlier entries replayed first (after the
/// <c>Last-Event-ID</c> a reconnecting client sends), then a final <c>event: verdict</c> (<c>id: verdict</c>) with the
/// whole suite, or <c>event: deleted</c> (<c>id: -</c>) when the record goes away. Follows the suite's ConfigMap with a
/// Kubernetes watch, so any replica serves it, whichever runs the suite.
/// </summary>
public sealed class SuiteEventFeed(SuiteStore store, IOptions<RoutingOptions> routing)
{
    /// <summary>
    /// The events from <paramref name="first"/> on, the first <paramref name="sent"/> entries left out (the client has
    /// them). <paramref name="opened"/> runs before anything is read: the stream's headers go out then, not with the
    /// suite's next entry, so a caller following a suite with nothing new has its answer.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> ReadAsync(StoredSuite first, int sent, Func<CancellationToken, Task> opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(opened);
        await opened(cancellationToken).ConfigureAwait(false);
        var current = first;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var entry in NewEntries(current.Suite, sent))
            {
                yield return entry;
            }

            sent = Math.Max(sent, current.Suite.Events.Count);
            if (current.Suite.IsFinal)
            {
                yield return Verdict(current.Suite);
                yield break;
            }

            var gone = false;
            var changes = WatchAsync(current, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (changes.ConfigureAwait(false))
            {
                while (await changes.MoveNextAsync().ConfigureAwait(false))
                {
                    if (changes.Current is not { } suite)
                    {
                        gone = true;
                        break;
                    }

                    current = suite;
                    foreach (var entry in NewEntries(suite.Suite, sent))
                    {
                        yield return entry;
                    }

                    sent = Math.Max(sent, suite.Suite.Events.Count);
                    if (suite.Suite.IsFinal)
                    {
                        yield return Verdict(suite.Suite);
                        yield break;
                    }
                }
            }

            // The watch ended (server timeout, 410, a dropped connection): read the record again and watch from there.
            var again = gone ? null : await store.GetAsync(current.Suite.SuiteId, cancellationToken).ConfigureAwait(false);
            if (again is null)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new { suite_id = current.Suite.SuiteId }, DrillStore.Json), "deleted") { EventId = "-" };
                yield break;
            }

            current = again;
        }
    }

    /// <summary>The suite's record as it changes (null once: it was deleted); ends with the watch (a 410 ends it quietly).</summary>
    private async IAsyncEnumerable<StoredSuite?> WatchAsync(StoredSuite from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = store.WatchAsync(from.Suite.SuiteId, from.ResourceVersion, _ => { }, routing.Value.WatchTimeoutSeconds, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
                {
                    yield break;
                }

                var (type, suite) = events.Current;
                if (type == WatchEventType.Deleted)
                {
                    yield return null;
                    yield break;
                }

                if (suite is not null)
                {
                    yield return suite;
                }
            }
        }
    }

    private static IEnumerable<SseItem<string>> NewEntries(SuiteRecord suite, int sent)
    {
        for (var i = sent; i < suite.Events.Count; i++)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(suite.Events[i], DrillStore.Json), suite.Events[i].Event) { EventId = i.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private static SseItem<string> Verdict(SuiteRecord suite) => new(JsonSerializer.Serialize(suite, DrillStore.Json), "verdict") { EventId = "verdict" };
}
