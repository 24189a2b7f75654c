namespace FaultInjection.Client.Gpu;

/// <summary>One <c>nvidia-smi pmon</c> sample.</summary>
public sealed class PmonSample
{
    public string NodeName { get; init; } = "";

    public int GpuIndex { get; init; }

    public long? Pid { get; init; }

    public string Type { get; init; } = "";

    public double? SmPercent { get; init; }

    public double? MemPercent { get; init; }

    public double? EncPercent { get; init; }

    public double? DecPercent { get; init; }

    public double? JpgPercent { get; init; }

    public double? OfaPercent { get; init; }

    public string Command { get; init; } = "";
}
