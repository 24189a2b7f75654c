namespace FaultApi.Storage;

/// <summary>
/// The names one kind of record has in the cluster, all from its noun (<c>drill</c>, <c>suite</c>): the ConfigMap
/// <c>&lt;noun&gt;-&lt;id&gt;</c>, the labels <c>fault-injection/&lt;noun&gt;=true</c> and
/// <c>fault-injection/&lt;noun&gt;-state</c>, the lease annotations <c>fault-injection/&lt;noun&gt;-holder</c> and
/// <c>fault-injection/&lt;noun&gt;-lease-renewed</c>, the JSON in <c>data["&lt;noun&gt;.json"]</c>.
/// </summary>
public sealed class LeasedRecordNames(string noun)
{
    public string Noun => noun;

    public string KindLabel { get; } = $"fault-injection/{noun}";

    public string StateLabel { get; } = $"fault-injection/{noun}-state";

    public string HolderAnnotation { get; } = $"fault-injection/{noun}-holder";

    public string RenewedAnnotation { get; } = $"fault-injection/{noun}-lease-renewed";

    public string DataKey { get; } = $"{noun}.json";

    public string ObjectName(string id) => $"{noun}-{id}";
}
