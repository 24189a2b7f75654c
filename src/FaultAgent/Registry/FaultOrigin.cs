using FaultAgent.Drivers;

namespace FaultAgent.Registry;

/// <summary>
/// The values of a <see cref="FaultRecord"/> that faults of one node, GPU, fault type, caller and boot share (#14, the
/// agent's memory): thirteen fields the record held itself — ten references to strings, lists and facts that were already
/// shared instances, and three numbers — as one reference to an instance every such fault holds (~80 bytes less per
/// fault). While a record is being initialized it sets the values in an instance of its own (copied on its first set, so
/// a <c>with</c> never changes the original's); the registry's map then puts an equal shared instance in its place
/// (<see cref="FaultOriginSet"/>). Compared by value — the surfaces and the driver facts' notes too, which the record's own
/// comparison compared by reference: faults reloaded from the journal (each with lists of its own) share one instance as
/// the faults they were did, and a fault compares equal to its journal round trip.
/// </summary>
internal sealed class FaultOrigin : IEquatable<FaultOrigin>
{
    /// <summary>Every value at its default, owned by no record: what a new record starts from.</summary>
    public static readonly FaultOrigin Defaults = new(owner: null);

    // The record that may still set values in this instance (while it is initialized); null once shared or for Defaults.
    private object? _owner;

    private FaultOrigin(object? owner) => _owner = owner;

    public string NodeName { get; set; } = null!;

    public FaultKind Kind { get; set; }

    public int Code { get; set; }

    public string FaultType { get; set; } = null!;

    public int GpuId { get; set; }

    public string PciBusId { get; set; } = "";

    public string GpuUuid { get; set; } = "";

    public string Caller { get; set; } = "";

    public string BootId { get; set; } = "";

    public string Severity { get; set; } = "";

    public string RecommendedAction { get; set; } = "";

    public IReadOnlyList<string> Surfaces { get; set; } = [];

    public DriverLineFacts? Driver { get; set; }

    /// <summary>Whether no record sets values in it any more (it may be held by many).</summary>
    public bool IsShared => _owner is null;

    /// <summary>This instance when <paramref name="record"/> owns it, else a copy that <paramref name="record"/> owns.</summary>
    public FaultOrigin OwnedBy(object record)
    {
        if (ReferenceEquals(_owner, record))
        {
            return this;
        }

        return new FaultOrigin(record)
        {
            NodeName = NodeName,
            Kind = Kind,
            Code = Code,
            FaultType = FaultType,
            GpuId = GpuId,
            PciBusId = PciBusId,
            GpuUuid = GpuUuid,
            Caller = Caller,
            BootId = BootId,
            Severity = Severity,
            RecommendedAction = RecommendedAction,
            Surfaces = Surfaces,
            Driver = Driver,
        };
    }

    /// <summary>Ends every record's ownership: from now on no value of it changes.</summary>
    public void Share() => _owner = null;

    public bool Equals(FaultOrigin? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && Kind == other.Kind
            && Code == other.Code
            && GpuId == other.GpuId
            && string.Equals(NodeName, other.NodeName, StringComparison.Ordinal)
            && string.Equals(FaultType, other.FaultType, StringComparison.Ordinal)
            && string.Equals(PciBusId, other.PciBusId, StringComparison.Ordinal)
            && string.Equals(GpuUuid, other.GpuUuid, StringComparison.Ordinal)
            && string.Equals(Caller, other.Caller, StringComparison.Ordinal)
            && string.Equals(BootId, other.BootId, StringComparison.Ordinal)
            && string.Equals(Severity, other.Severity, StringComparison.Ordinal)
            && string.Equals(RecommendedAction, other.RecommendedAction, StringComparison.Ordinal)
            && SameSurfaces(Surfaces, other.Surfaces)
            && DriverLineFactsContentComparer.Instance.Equals(Driver, other.Driver));

    public override bool Equals(object? obj) => Equals(obj as FaultOrigin);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(Code);
        hash.Add(GpuId);
        hash.Add(NodeName, StringComparer.Ordinal);
        hash.Add(FaultType, StringComparer.Ordinal);
        hash.Add(PciBusId, StringComparer.Ordinal);
        hash.Add(GpuUuid, StringComparer.Ordinal);
        hash.Add(Caller, StringComparer.Ordinal);
        hash.Add(BootId, StringComparer.Ordinal);
        hash.Add(Severity, StringComparer.Ordinal);
        hash.Add(RecommendedAction, StringComparer.Ordinal);
        foreach (var surface in Surfaces ?? [])
        {
            hash.Add(surface, StringComparer.Ordinal);
        }

        hash.Add(Driver is null ? 0 : DriverLineFactsContentComparer.Instance.GetHashCode(Driver));
        return hash.ToHashCode();
    }

    private static bool SameSurfaces(IReadOnlyList<string>? mine, IReadOnlyList<string>? theirs) =>
        ReferenceEquals(mine, theirs) || (mine is not null && theirs is not null && mine.SequenceEqual(theirs, StringComparer.Ordinal));
}
