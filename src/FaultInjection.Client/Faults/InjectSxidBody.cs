namespace FaultInjection.Client.Faults;

/// <summary>The wire body of an SXid injection.</summary>
internal sealed class InjectSxidBody
{
    public string? NodeName { get; init; }

    public string? NodeSelector { get; init; }

    public int? Count { get; init; }

    public int Nvswitch { get; init; }

    public int Link { get; init; }

    public string? PciBusId { get; init; }

    public string? Message { get; init; }

    public double? Duration { get; init; }

    public bool DryRun { get; init; }

    public string? FaultId { get; init; }

    public bool First { get; init; }

    public string? ErrorClass { get; init; }

    public IReadOnlyList<uint>? Data { get; init; }

    public bool OmitCompanionRecords { get; init; }

    public bool CollectBugReport { get; init; }
}
