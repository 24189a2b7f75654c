namespace FaultInjection.Client.Dcgm;

/// <summary>The wire body of a DCGM field injection.</summary>
internal sealed class InjectDcgmFieldBody
{
    public string? NodeName { get; init; }

    public int GpuId { get; init; }

    public string Field { get; init; } = "";

    public long Value { get; init; }

    public double? Duration { get; init; }

    public bool DryRun { get; init; }

    public string? FaultId { get; init; }
}
