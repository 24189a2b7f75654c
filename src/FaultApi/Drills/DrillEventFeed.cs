using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using FaultApi.Routing;
using FaultApi.Storage;
using k8s;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// The events of <c>GET /api/v1/drills/{id}/events</c> (<see cref="RecordEventFeed{TStored}"/>): the drill's steps
/// (<c>event: step</c>, <c>id:</c> the step's index), earlier steps replayed first, then a final <c>event: verdict</c>
/// (<c>id: verdict</c>), or <c>event: deleted</c> (<c>id: -</c>) when the record goes away; any replica serves it,
/// whichever follows the drill.
/// </summary>
public sealed class DrillEventFeed(DrillStore store, IOptions<RoutingOptions> routing) : RecordEventFeed<StoredDrill>(routing)
{
    protected override string Id(StoredDrill record) => record.Drill.DrillId;

    protected override int EntryCount(StoredDrill record) => record.Drill.Steps.Count;

    protected override IEnumerable<SseItem<string>> Entries(StoredDrill record, int from)
    {
        var drill = record.Drill;
        for (var i = from; i < drill.Steps.Count; i++)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(drill.Steps[i], RecordJson.Options), "step") { EventId = i.ToString(CultureInfo.InvariantCulture) };
        }
    }

    protected override bool IsFinal(StoredDrill record) => record.Drill.IsFinal;

    protected override SseItem<string> Verdict(StoredDrill record) => new(
        JsonSerializer.Serialize(new DrillVerdict(record.Drill.DrillId, record.Drill.State, record.Drill.Reason, [.. record.Drill.Missing], record.Drill.EndedAt, record.Drill.Steps.Count), RecordJson.Options),
        "verdict")
    {
        EventId = "verdict",
    };

    protected override SseItem<string> Deleted(string id) =>
        new(JsonSerializer.Serialize(new { drill_id = id }, RecordJson.Options), "deleted") { EventId = "-" };

    protected override Task<StoredDrill?> GetAsync(string id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    protected override IAsyncEnumerable<(WatchEventType Type, StoredDrill? Record)> WatchAsync(StoredDrill from, int timeoutSeconds, CancellationToken cancellationToken) =>
        store.WatchAsync(from.Drill.DrillId, from.ResourceVersion, _ => { }, timeoutSeconds, cancellationToken);
}
