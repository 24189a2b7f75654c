namespace FaultInjection.Client.Gpu;

/// <summary>How many GPUs of one model, on how many nodes.</summary>
public sealed class GpuModelSummary
{
    public string Model { get; init; } = "";

    public int GpuCount { get; init; }

    public int NodeCount { get; init; }
}
