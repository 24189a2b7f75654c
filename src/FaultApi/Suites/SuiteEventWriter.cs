using System.Globalization;
using System.Net;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// <c>GET /api/v1/suites/{id}/events</c>: the suite's progress as server-sent events (<c>event: drill_started</c>,
/// <c>drill_ended</c>, <c>suite_ended</c>; <c>id:</c> the entry's index), earlier entries replayed first (after the
/// <c>Last-Event-ID</c> a reconnecting client sends), then a final <c>event: verdict</c> with the whole suite. Follows the
/// suite's ConfigMap with a Kubernetes watch, so any replica serves it, whichever runs the suite.
/// </summary>
public sealed class SuiteEventWriter(SuiteStore store, IOptions<RoutingOptions> routing)
{
    public async Task WriteAsync(HttpResponse response, StoredSuite first, int sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(first);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        var current = first;
        while (!cancellationToken.IsCancellationRequested)
        {
            sent = await SendNewAsync(response, current.Suite, sent, cancellationToken).ConfigureAwait(false);
            if (current.Suite.IsFinal)
            {
                await WriteEventAsync(response, "verdict", "verdict", JsonSerializer.Serialize(current.Suite, DrillStore.Json), cancellationToken).ConfigureAwait(false);
                return;
            }

            var gone = false;
            try
            {
                await foreach (var (type, suite) in store.WatchAsync(current.Suite.SuiteId, current.ResourceVersion, _ => { }, routing.Value.WatchTimeoutSeconds, cancellationToken).ConfigureAwait(false))
                {
                    if (type == WatchEventType.Deleted)
                    {
                        gone = true;
                        break;
                    }

                    if (suite is null)
                    {
                        continue;
                    }

                    current = suite;
                    sent = await SendNewAsync(response, suite.Suite, sent, cancellationToken).ConfigureAwait(false);
                    if (suite.Suite.IsFinal)
                    {
                        break;
                    }
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
            {
            }

            if (current.Suite.IsFinal)
            {
                continue;
            }

            // The watch ended (server timeout, 410, a dropped connection): read the record again and watch from there.
            var again = gone ? null : await store.GetAsync(current.Suite.SuiteId, cancellationToken).ConfigureAwait(false);
            if (again is null)
            {
                await WriteEventAsync(response, "deleted", "-", JsonSerializer.Serialize(new { suite_id = current.Suite.SuiteId }, DrillStore.Json), cancellationToken).ConfigureAwait(false);
                return;
            }

            current = again;
        }
    }

    private static async Task<int> SendNewAsync(HttpResponse response, SuiteRecord suite, int sent, CancellationToken cancellationToken)
    {
        for (var i = sent; i < suite.Events.Count; i++)
        {
            await WriteEventAsync(response, suite.Events[i].Event, i.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(suite.Events[i], DrillStore.Json), cancellationToken).ConfigureAwait(false);
        }

        return Math.Max(sent, suite.Events.Count);
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, string id, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\nid: {id}\ndata: {json}\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
