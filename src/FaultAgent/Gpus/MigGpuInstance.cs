namespace FaultAgent.Gpus;

/// <summary>
/// One MIG GPU instance as the driver lists it: <c>&lt;ProcRoot&gt;/driver/nvidia/capabilities/gpu&lt;minor&gt;/mig/gi&lt;N&gt;/</c>
/// with its compute instances <c>ci&lt;M&gt;/</c> (<c>kernel-open/nvidia/nv-caps.c</c>; created as instances are made).
/// </summary>
public sealed record MigGpuInstance(int GpuInstance, IReadOnlyList<int> ComputeInstances);
