using System.Net.ServerSentEvents;
using System.Text.Json;
using FaultApi.Routing;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// The events of <c>GET /api/v1/suites/{id}/events</c> (<see cref="RecordEventFeed{TRecord, TStored}"/>, as the drills'
/// stream): the suite's progress (<c>event: drill_started</c>, <c>drill_ended</c>, <c>suite_ended</c>; <c>id:</c> the
/// entry's index), earlier entries replayed first (after the <c>Last-Event-ID</c> a reconnecting client sends), then a final
/// <c>event: verdict</c> (<c>id: verdict</c>) with the whole suite, or <c>event: deleted</c> (<c>id: -</c>) when the
/// record goes away; any replica serves it, whichever runs the suite.
/// </summary>
public sealed class SuiteEventFeed(SuiteStore store, IOptions<RoutingOptions> routing) : RecordEventFeed<SuiteRecord, StoredSuite>(store, routing)
{
    protected override int EntryCount(StoredSuite record) => record.Suite.Events.Count;

    protected override SseItem<string> Entry(StoredSuite record, int index) =>
        new(JsonSerializer.Serialize(record.Suite.Events[index], RecordJson.Options), record.Suite.Events[index].Event);

    protected override SseItem<string> Verdict(StoredSuite record) => new(JsonSerializer.Serialize(record.Suite, RecordJson.Options), "verdict") { EventId = "verdict" };

    protected override SseItem<string> Deleted(string id) =>
        new(JsonSerializer.Serialize(new { suite_id = id }, RecordJson.Options), "deleted") { EventId = "-" };
}
