namespace FaultAgent.Faults;

/// <summary>An Xid injection as asked by a caller (gRPC InjectXid or HTTP POST /inject-xid).</summary>
public sealed record XidInjectionRequest
{
    public string? FaultId { get; init; }

    public int Xid { get; init; }

    /// <summary>The GPU's Device Minor.</summary>
    public int GpuId { get; init; }

    public string? Message { get; init; }

    /// <summary>Null: active until cleared (or the node reboots).</summary>
    public TimeSpan? Duration { get; init; }

    public bool DryRun { get; init; }

    public string? IdempotencyKey { get; init; }

    public bool CompanionLines { get; init; }

    public string? ProcessName { get; init; }

    public long Pid { get; init; }

    /// <summary>Where to write the fault: <c>kmsg</c> and/or <c>dcgm</c> (<see cref="InjectionSurfaces"/>); null or empty: <c>["kmsg"]</c>.</summary>
    public IReadOnlyList<string>? Surfaces { get; init; }

    /// <summary>The driver branch whose format to write; empty: the node's, else the newest.</summary>
    public string? DriverVersion { get; init; }

    public int? GpuInstance { get; init; }

    public int? ComputeInstance { get; init; }

    public uint? Channel { get; init; }

    public int PreviousXid { get; init; }

    public bool FallenOffBusProbe { get; init; }

    public bool OmitCompanionRecords { get; init; }
}
