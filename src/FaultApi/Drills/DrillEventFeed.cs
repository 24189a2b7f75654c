using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// The events of <c>GET /api/v1/drills/{id}/events</c>, written by the platform's server-sent events
/// (<c>TypedResults.ServerSentEvents</c>): the drill's steps (<c>event: step</c>, <c>id:</c> the step's index), earlier
/// steps replayed first, then a final <c>event: verdict</c> (<c>id: verdict</c>), or <c>event: deleted</c> (<c>id: -</c>)
/// when the record goes away. Follows the drill's ConfigMap with a Kubernetes watch, so any replica can serve it,
/// whichever follows the drill.
/// </summary>
public sealed class DrillEventFeed(DrillStore store, IOptions<RoutingOptions> routing)
{
    /// <summary>
    /// The events from <paramref name="first"/> on. <paramref name="opened"/> runs before anything is read: the stream's
    /// headers go out then, not with the drill's next step, so a caller following a drill with no new step has its answer.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> ReadAsync(StoredDrill first, Func<CancellationToken, Task> opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(opened);
        await opened(cancellationToken).ConfigureAwait(false);
        var sent = 0;
        var current = first;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var step in NewSteps(current.Drill, sent))
            {
                yield return step;
            }

            sent = Math.Max(sent, current.Drill.Steps.Count);
            if (current.Drill.IsFinal)
            {
                yield return Verdict(current.Drill);
                yield break;
            }

            var errors = new List<Exception>();
            var gone = false;
            var changes = WatchAsync(current, errors, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (changes.ConfigureAwait(false))
            {
                while (await changes.MoveNextAsync().ConfigureAwait(false))
                {
                    if (changes.Current is not { } drill)
                    {
                        gone = true;
                        break;
                    }

                    current = drill;
                    foreach (var step in NewSteps(drill.Drill, sent))
                    {
                        yield return step;
                    }

                    sent = Math.Max(sent, drill.Drill.Steps.Count);
                    if (drill.Drill.IsFinal)
                    {
                        yield return Verdict(drill.Drill);
                        yield break;
                    }
                }
            }

            // The watch ended (server timeout, 410, a dropped connection): read the record again and watch from there.
            var again = gone ? null : await store.GetAsync(current.Drill.DrillId, cancellationToken).ConfigureAwait(false);
            if (again is null)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new { drill_id = current.Drill.DrillId }, DrillStore.Json), "deleted") { EventId = "-" };
                yield break;
            }

            current = again;
        }
    }

    /// <summary>The drill's record as it changes (null once: it was deleted); ends with the watch (a 410 ends it quietly).</summary>
    private async IAsyncEnumerable<StoredDrill?> WatchAsync(StoredDrill from, List<Exception> errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = store.WatchAsync(from.Drill.DrillId, from.ResourceVersion, errors.Add, routing.Value.WatchTimeoutSeconds, cancellationToken).GetAsyncEnumerator(cancellationToken);
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

                var (type, drill) = events.Current;
                if (type == WatchEventType.Deleted)
                {
                    yield return null;
                    yield break;
                }

                if (drill is not null)
                {
                    yield return drill;
                }
            }
        }
    }

    private static IEnumerable<SseItem<string>> NewSteps(DrillRecord drill, int sent)
    {
        for (var i = sent; i < drill.Steps.Count; i++)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(drill.Steps[i], DrillStore.Json), "step") { EventId = i.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private static SseItem<string> Verdict(DrillRecord drill) => new(
        JsonSerializer.Serialize(new DrillVerdict(drill.DrillId, drill.State, drill.Reason, [.. drill.Missing], drill.EndedAt, drill.Steps.Count), DrillStore.Json),
        "verdict")
    {
        EventId = "verdict",
    };
}
