namespace FaultAgent.Faults;

/// <summary>An NVSwitch SXid injection as asked by a caller.</summary>
public sealed record SxidInjectionRequest
{
    public string? FaultId { get; init; }

    public int Sxid { get; init; }

    public int NvSwitch { get; init; }

    /// <summary>Empty: the discovered switch with that instance number.</summary>
    public string? PciBusId { get; init; }

    public int Link { get; init; }

    public string? Message { get; init; }

    public TimeSpan? Duration { get; init; }

    public bool DryRun { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>Where to write the fault: <c>kmsg</c> and/or <c>dcgm</c> (<see cref="InjectionSurfaces"/>); null or empty: <c>["kmsg"]</c>.</summary>
    public IReadOnlyList<string>? Surfaces { get; init; }

    /// <summary>Append <c> (First)</c>.</summary>
    public bool First { get; init; }

    /// <summary><c>Fatal</c>, <c>Non-fatal</c>, <c>Correctable</c>; empty: the catalog's.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>Words of the Data follow-up lines (flags, data[0..15]).</summary>
    public IReadOnlyList<uint> Data { get; init; } = [];

    public bool OmitCompanionRecords { get; init; }
}
