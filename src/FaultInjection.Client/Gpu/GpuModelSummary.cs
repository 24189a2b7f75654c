namespace FaultInjection.Client.Gpu;

/// <summary>How many GPUs of one model, on how many nodes.</summary>
public sealed class GpuModelSummary
{
    /// <summary>The GPU model.</summary>
    public string Model { get; init; } = "";

    /// <summary>How many GPUs of that model.</summary>
    public int GpuCount { get; init; }

    /// <summary>On how many nodes.</summary>
    public int NodeCount { get; init; }
}
