using FaultApi.Routing;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Storage;

/// <summary>The generic store for <see cref="TestLeasedRecord"/>, labelling each with its color as drills are with their node.</summary>
public sealed class TestLeasedRecordStore(KubernetesConnection kubernetes, IOptions<RoutingOptions> routing)
    : LeasedRecordStore<TestLeasedRecord, StoredTestRecord>(kubernetes, routing, new LeasedRecordNames("widget"))
{
    protected override StoredTestRecord Stored(TestLeasedRecord record, string resourceVersion, string? holder, DateTimeOffset? renewedAt) =>
        new(record, resourceVersion, holder, renewedAt);

    protected override void AddLabels(TestLeasedRecord record, IDictionary<string, string> labels) => labels["example.com/color"] = record.Color;
}
