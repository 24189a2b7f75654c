namespace FaultAgent.Telemetry;

/// <summary>One row of <c>nvidia-smi pmon</c>: an idle GPU has no pid; a column the driver does not print is null.</summary>
public sealed record PmonSample
{
    public int GpuIndex { get; init; }

    public long? Pid { get; init; }

    /// <summary>C, G or C+G; empty when not given.</summary>
    public string Type { get; init; } = "";

    public double? SmPercent { get; init; }

    public double? MemPercent { get; init; }

    public double? EncPercent { get; init; }

    public double? DecPercent { get; init; }

    public double? JpgPercent { get; init; }

    public double? OfaPercent { get; init; }

    public string Command { get; init; } = "";
}
