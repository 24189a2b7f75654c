namespace FaultAgent.Gpus;

/// <summary>One GPU as the NVIDIA driver describes it in <c>/proc/driver/nvidia/gpus/&lt;pci&gt;/information</c>.</summary>
/// <param name="GpuId">The Device Minor (the N of /dev/nvidiaN); the <c>gpu_id</c> callers use.</param>
/// <param name="PciBusId">Full BDF with a 4-hex-digit domain, as procfs names the directory: <c>0000:3b:00.0</c>.</param>
/// <param name="XidPci">The form Xid lines use (domain:bus:device, no function): <c>0000:3b:00</c>.</param>
/// <param name="Fields">Every field the driver printed, in file order, known or not.</param>
/// <param name="SourcePath">The information file this was read from.</param>
public sealed record GpuInfo(
    int GpuId,
    string PciBusId,
    string XidPci,
    string? Uuid,
    string? Model,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    string SourcePath)
{
    /// <summary>MIG instances under <c>&lt;ProcRoot&gt;/driver/nvidia/capabilities/gpu&lt;GpuId&gt;/mig/</c>; empty: MIG off or none made.</summary>
    public IReadOnlyList<MigGpuInstance> MigInstances { get; init; } = [];

    public string? Field(string name)
    {
        foreach (var (key, value) in Fields)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
