namespace FaultApi.Gpu;

/// <summary>Names one GPU in a summary list.</summary>
public sealed record GpuReferenceResource(string NodeName, int Index, string Uuid, string PciBusId);
