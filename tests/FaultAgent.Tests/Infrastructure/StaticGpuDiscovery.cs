using FaultAgent.Gpus;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>Test-only GPU inventory.</summary>
public sealed class StaticGpuDiscovery(GpuInventory inventory) : IGpuDiscovery
{
    public static GpuInventory TwoGpus { get; } = new(
        [
            new GpuInfo(0, "0000:3b:00.0", "0000:3b:00", "GPU-11111111-2222-3333-4444-555555555555", "NVIDIA H100 80GB HBM3", [new("Model", "NVIDIA H100 80GB HBM3"), new("Device Minor", "0")], "/proc/driver/nvidia/gpus/0000:3b:00.0/information"),
            new GpuInfo(1, "0000:5e:00.0", "0000:5e:00", "GPU-66666666-7777-8888-9999-000000000000", "NVIDIA H100 80GB HBM3", [new("Model", "NVIDIA H100 80GB HBM3"), new("Device Minor", "1")], "/proc/driver/nvidia/gpus/0000:5e:00.0/information"),
        ],
        [new NvSwitchInfo(0, "0000:4e:00.0", "/proc/driver/nvidia-nvswitch/devices/0000:4e:00.0")],
        []);

    public ValueTask<GpuInventory> DiscoverAsync(CancellationToken cancellationToken) => ValueTask.FromResult(inventory);
}
