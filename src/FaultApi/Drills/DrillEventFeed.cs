using System.Net.ServerSentEvents;
using System.Text.Json;
using FaultApi.Routing;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// The events of <c>GET /api/v1/drills/{id}/events</c> (<see cref="RecordEventFeed{TRecord, TStored}"/>): the drill's
/// steps (<c>event: step</c>, <c>id:</c> the step's index), earlier steps replayed first, then a final
/// <c>event: verdict</c> (<c>id: verdict</c>), or <c>event: deleted</c> (<c>id: -</c>) when the record goes away; any
/// replica serves it, whichever follows the drill.
/// </summary>
public sealed class DrillEventFeed(DrillStore store, IOptions<RoutingOptions> routing) : RecordEventFeed<DrillRecord, StoredDrill>(store, routing)
{
    protected override int EntryCount(StoredDrill record) => record.Drill.Steps.Count;

    protected override SseItem<string> Entry(StoredDrill record, int index) =>
        new(JsonSerializer.Serialize(record.Drill.Steps[index], RecordJson.Options), "step");

    protected override SseItem<string> Verdict(StoredDrill record) => new(
        JsonSerializer.Serialize(new DrillVerdict(record.Drill.DrillId, record.Drill.State, record.Drill.Reason, [.. record.Drill.Missing], record.Drill.EndedAt, record.Drill.Steps.Count), RecordJson.Options),
        "verdict")
    {
        EventId = "verdict",
    };

    protected override SseItem<string> Deleted(string id) =>
        new(JsonSerializer.Serialize(new { drill_id = id }, RecordJson.Options), "deleted") { EventId = "-" };
}
