namespace FaultAgent.Http;

/// <summary>POST /inject-xid body (snake_case JSON), as the seed agent took it, plus the newer optional fields.</summary>
public sealed record InjectXidHttpRequest
{
    public string? FaultId { get; init; }

    public int? XidType { get; init; }

    public int? GpuId { get; init; }

    /// <summary>Seconds the fault stays active; absent: until cleared.</summary>
    public double? Duration { get; init; }

    public string? Message { get; init; }

    public string? IdempotencyKey { get; init; }

    public bool DryRun { get; init; }

    public bool CompanionLines { get; init; }

    public string? ProcessName { get; init; }

    public long? Pid { get; init; }

    /// <summary><c>["kmsg"]</c> (absent: the default), <c>["kmsg","dcgm"]</c>, or <c>["dcgm"]</c>.</summary>
    public IReadOnlyList<string>? Surfaces { get; init; }

    public string? DriverVersion { get; init; }

    public int? GpuInstance { get; init; }

    public int? ComputeInstance { get; init; }

    public uint? Channel { get; init; }

    public int? PreviousXid { get; init; }

    public bool FallenOffBusProbe { get; init; }

    public bool OmitCompanionRecords { get; init; }
}
