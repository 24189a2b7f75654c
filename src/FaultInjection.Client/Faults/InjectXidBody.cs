namespace FaultInjection.Client.Faults;

/// <summary>The wire body of an Xid injection.</summary>
internal sealed class InjectXidBody
{
    public string? NodeName { get; init; }

    public string? NodeSelector { get; init; }

    public int? Count { get; init; }

    public int GpuId { get; init; }

    public string? Message { get; init; }

    public double? Duration { get; init; }

    public bool DryRun { get; init; }

    public string? FaultId { get; init; }

    public bool CompanionLines { get; init; }

    public string? ProcessName { get; init; }

    public long? Pid { get; init; }

    public IReadOnlyList<string>? Surfaces { get; init; }

    public string? DriverVersion { get; init; }

    public int? GpuInstance { get; init; }

    public int? ComputeInstance { get; init; }

    public uint? Channel { get; init; }

    public int? PreviousXid { get; init; }

    public bool FallenOffBusProbe { get; init; }

    public bool OmitCompanionRecords { get; init; }

    public bool CollectBugReport { get; init; }
}
