using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using FaultApi.Routing;
using FaultApi.Storage;
using k8s;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// The events of <c>GET /api/v1/suites/{id}/events</c> (<see cref="RecordEventFeed{TStored}"/>, as the drills' stream):
/// the suite's progress (<c>event: drill_started</c>, <c>drill_ended</c>, <c>suite_ended</c>; <c>id:</c> the entry's
/// index), earlier entries replayed first (after the <c>Last-Event-ID</c> a reconnecting client sends), then a final
/// <c>event: verdict</c> (<c>id: verdict</c>) with the whole suite, or <c>event: deleted</c> (<c>id: -</c>) when the
/// record goes away; any replica serves it, whichever runs the suite.
/// </summary>
public sealed class SuiteEventFeed(SuiteStore store, IOptions<RoutingOptions> routing) : RecordEventFeed<StoredSuite>(routing)
{
    protected override string Id(StoredSuite record) => record.Suite.SuiteId;

    protected override int EntryCount(StoredSuite record) => record.Suite.Events.Count;

    protected override IEnumerable<SseItem<string>> Entries(StoredSuite record, int from)
    {
        var suite = record.Suite;
        for (var i = from; i < suite.Events.Count; i++)
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(suite.Events[i], RecordJson.Options), suite.Events[i].Event) { EventId = i.ToString(CultureInfo.InvariantCulture) };
        }
    }

    protected override bool IsFinal(StoredSuite record) => record.Suite.IsFinal;

    protected override SseItem<string> Verdict(StoredSuite record) => new(JsonSerializer.Serialize(record.Suite, RecordJson.Options), "verdict") { EventId = "verdict" };

    protected override SseItem<string> Deleted(string id) =>
        new(JsonSerializer.Serialize(new { suite_id = id }, RecordJson.Options), "deleted") { EventId = "-" };

    protected override Task<StoredSuite?> GetAsync(string id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    protected override IAsyncEnumerable<(WatchEventType Type, StoredSuite? Record)> WatchAsync(StoredSuite from, int timeoutSeconds, CancellationToken cancellationToken) =>
        store.WatchAsync(from.Suite.SuiteId, from.ResourceVersion, _ => { }, timeoutSeconds, cancellationToken);
}
