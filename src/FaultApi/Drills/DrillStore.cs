using System.Text.RegularExpressions;
using FaultApi.Routing;
using FaultApi.Storage;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// Drill records (<see cref="LeasedRecordStore{TRecord, TStored}"/>): one ConfigMap per drill, <c>drill-&lt;id&gt;</c>,
/// the JSON in <c>data["drill.json"]</c>, the lease of the replica following a running drill in the annotations
/// <c>fault-injection/drill-holder</c> and <c>fault-injection/drill-lease-renewed</c>; labelled with the drill's node
/// (<see cref="NodeLabel"/>) when its name is a valid label value.
/// </summary>
public sealed partial class DrillStore(KubernetesConnection kubernetes, IOptions<RoutingOptions> routing)
    : LeasedRecordStore<DrillRecord, StoredDrill>(kubernetes, routing, Names)
{
    public const string NodeLabel = "fault-injection/node";

    private static readonly LeasedRecordNames Names = new("drill");

    public static string DrillLabel => Names.KindLabel;

    public static string HolderAnnotation => Names.HolderAnnotation;

    public static string ObjectName(string drillId) => Names.ObjectName(drillId);

    protected override StoredDrill Stored(DrillRecord record, string resourceVersion, string? holder, DateTimeOffset? renewedAt) =>
        new(record, resourceVersion, holder, renewedAt);

    protected override void AddLabels(DrillRecord record, IDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(labels);
        if (record.NodeName.Length <= 63 && LabelValue().IsMatch(record.NodeName))
        {
            labels[NodeLabel] = record.NodeName;
        }
    }

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}
