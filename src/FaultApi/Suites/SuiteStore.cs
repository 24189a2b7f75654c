using FaultApi.Routing;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// Suite records (<see cref="LeasedRecordStore{TRecord, TStored}"/>), beside the drills': one ConfigMap per suite,
/// <c>suite-&lt;id&gt;</c>, the JSON in <c>data["suite.json"]</c>, the lease of the replica running a suite in the
/// annotations <see cref="HolderAnnotation"/> and <c>fault-injection/suite-lease-renewed</c>.
/// </summary>
public sealed class SuiteStore(KubernetesConnection kubernetes, IOptions<RoutingOptions> routing)
    : LeasedRecordStore<SuiteRecord, StoredSuite>(kubernetes, routing, Names)
{
    private static readonly LeasedRecordNames Names = new("suite");

    public static string HolderAnnotation => Names.HolderAnnotation;

    protected override StoredSuite Stored(SuiteRecord record, string resourceVersion, string? holder, DateTimeOffset? renewedAt) =>
        new(record, resourceVersion, holder, renewedAt);
}
