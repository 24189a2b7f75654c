namespace FaultApi.Gpu;

/// <summary>One row of <c>nvidia-smi pmon -c 1 -s u</c>; <c>pid</c> null on a GPU with no process; "-" values are null.</summary>
public sealed record PmonSampleResource(
    string NodeName,
    int GpuIndex,
    long? Pid,
    string Type,
    double? SmPercent,
    double? MemPercent,
    double? EncPercent,
    double? DecPercent,
    double? JpgPercent,
    double? OfaPercent,
    string Command);
