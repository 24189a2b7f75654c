using System.Globalization;
using System.Net;
using System.Text.Json;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// <c>GET /api/v1/drills/{id}/events</c>: the drill's steps as server-sent events (<c>event: step</c>, <c>id:</c> the
/// step's index), earlier steps replayed first, then a final <c>event: verdict</c>. Follows the drill's ConfigMap with
/// a Kubernetes watch, so any replica can serve it, whichever follows the drill.
/// </summary>
public sealed class DrillEventWriter(DrillStore store, IOptions<RoutingOptions> routing)
{
    public async Task WriteAsync(HttpResponse response, StoredDrill first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(first);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        // The headers go out now, not with the first step: a caller following a drill with no new step yet has its answer.
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        var sent = 0;
        var current = first;
        while (!cancellationToken.IsCancellationRequested)
        {
            sent = await SendNewStepsAsync(response, current.Drill, sent, cancellationToken).ConfigureAwait(false);
            if (current.Drill.IsFinal)
            {
                await SendVerdictAsync(response, current.Drill, cancellationToken).ConfigureAwait(false);
                return;
            }

            var errors = new List<Exception>();
            var gone = false;
            try
            {
                await foreach (var (type, drill) in store.WatchAsync(current.Drill.DrillId, current.ResourceVersion, errors.Add, routing.Value.WatchTimeoutSeconds, cancellationToken).ConfigureAwait(false))
                {
                    if (type == WatchEventType.Deleted)
                    {
                        gone = true;
                        break;
                    }

                    if (drill is null)
                    {
                        continue;
                    }

                    current = drill;
                    sent = await SendNewStepsAsync(response, drill.Drill, sent, cancellationToken).ConfigureAwait(false);
                    if (drill.Drill.IsFinal)
                    {
                        await SendVerdictAsync(response, drill.Drill, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
            {
            }

            // The watch ended (server timeout, 410, a dropped connection): read the record again and watch from there.
            var again = gone ? null : await store.GetAsync(current.Drill.DrillId, cancellationToken).ConfigureAwait(false);
            if (again is null)
            {
                await WriteEventAsync(response, "deleted", "-", JsonSerializer.Serialize(new { drill_id = current.Drill.DrillId }, DrillStore.Json), cancellationToken).ConfigureAwait(false);
                return;
            }

            current = again;
        }
    }

    private static async Task<int> SendNewStepsAsync(HttpResponse response, DrillRecord drill, int sent, CancellationToken cancellationToken)
    {
        for (var i = sent; i < drill.Steps.Count; i++)
        {
            await WriteEventAsync(response, "step", i.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(drill.Steps[i], DrillStore.Json), cancellationToken).ConfigureAwait(false);
        }

        return Math.Max(sent, drill.Steps.Count);
    }

    private static Task SendVerdictAsync(HttpResponse response, DrillRecord drill, CancellationToken cancellationToken) =>
        WriteEventAsync(
            response,
            "verdict",
            "verdict",
            JsonSerializer.Serialize(new DrillVerdict(drill.DrillId, drill.State, drill.Reason, [.. drill.Missing], drill.EndedAt, drill.Steps.Count), DrillStore.Json),
            cancellationToken);

    private static async Task WriteEventAsync(HttpResponse response, string name, string id, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\nid: {id}\ndata: {json}\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
