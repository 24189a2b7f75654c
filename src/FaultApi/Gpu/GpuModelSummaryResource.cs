namespace FaultApi.Gpu;

/// <summary>How many GPUs of one model (nvidia-smi's <c>name</c>) the fleet has, and on how many nodes.</summary>
public sealed record GpuModelSummaryResource(string Model, int GpuCount, int NodeCount);
