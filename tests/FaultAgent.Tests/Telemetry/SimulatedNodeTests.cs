using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Telemetry;
using FaultAgent.Tests.HostProcesses;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Telemetry;

/// <summary>
/// run-local.sh's simulated nodes (samples/nodes/): the agent's GPU discovery on each node's /proc tree and its telemetry
/// through the repository's stand-in nvidia-smi (real runner, stand-in host) describe the same GPUs, with the values of
/// the real captures they come from.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SimulatedNodeTests(HostNamespaceFixture host) : IClassFixture<HostNamespaceFixture>
{
    private async Task<(GpuInventory Inventory, GpuTelemetry Telemetry)> ReadAsync(string node)
    {
        var inventory = await new ProcGpuDiscovery(
                Options.Create(new AgentOptions { ProcRoot = StandInNvidiaSmi.SimulatedNodePath(node, "proc") }),
                NullLogger<ProcGpuDiscovery>.Instance)
            .DiscoverAsync(CancellationToken.None);
        var smi = StandInNvidiaSmi.ForSimulatedNode(host, node);
        var tools = new HostToolsOptions { NvidiaSmiPath = smi.Path };
        var service = new GpuTelemetryService(
            NsenterHostCommandRunnerTests.CreateRunner(host.TargetPid, tools),
            Options.Create(new AgentOptions { NodeName = node, TargetPid = host.TargetPid }),
            Options.Create(tools),
            Options.Create(new TelemetryOptions()),
            TimeProvider.System,
            NullLogger<GpuTelemetryService>.Instance);
        return (inventory, await service.GetTelemetryAsync(refresh: true, CancellationToken.None));
    }

    [RootTheory]
    [InlineData("gpu-node-001", "NVIDIA H100 80GB HBM3")]
    [InlineData("gpu-node-002", "NVIDIA H200")]
    public async Task Discover_SimulatedNode_ProcAndNvidiaSmiDescribeTheSameGpusAndFourNvSwitches(string node, string model)
    {
        var (inventory, telemetry) = await ReadAsync(node);

        Assert.Empty(inventory.Problems);
        Assert.Equal(8, inventory.Gpus.Count);
        Assert.Equal(
            inventory.Gpus.Select(g => (g.GpuId, g.PciBusId, g.Uuid ?? "", g.Model ?? "")),
            telemetry.Gpus.Select(g => (g.Index, g.PciBusId, g.Uuid, g.Name)));
        Assert.All(inventory.Gpus, g => Assert.Equal(model, g.Model));
        Assert.All(inventory.Gpus, g => Assert.Equal(telemetry.DriverVersion, g.Field("GPU Firmware")));
        Assert.Equal([0, 1, 2, 3], inventory.NvSwitches.Select(s => s.Instance));
    }

    [RootFact]
    public async Task GetTelemetryAsync_H100NodeFromNvidiaSmiQCapture_EveryValueAsCaptured()
    {
        var (inventory, telemetry) = await ReadAsync("gpu-node-001");

        // GPU 0 and GPU 1 of the capture (nvidia-smi -q, 535.161.08), read through the agent's own query and parser.
        Assert.Equal("535.161.08", telemetry.DriverVersion);
        var gpu0 = telemetry.Gpus[0];
        Assert.Equal("GPU-ee7954ec-da95-fd7a-ddfd-c6b32cc2f8aa", gpu0.Uuid);
        Assert.Equal("0000:19:00.0", gpu0.PciBusId);
        Assert.Equal("P0", gpu0.Pstate);
        Assert.Equal(29, gpu0.TemperatureC);
        Assert.Equal(0, gpu0.UtilizationGpuPercent);
        Assert.Equal(81559, gpu0.MemoryTotalMib);
        Assert.Equal(0, gpu0.MemoryUsedMib);
        Assert.Equal(81007, gpu0.MemoryFreeMib);
        Assert.Equal(67.74, gpu0.PowerDrawW);
        Assert.Equal(700, gpu0.PowerLimitW);
        Assert.Equal(5, gpu0.PcieLinkGenMax);
        Assert.Equal(16, gpu0.PcieLinkWidthCurrent);
        Assert.Equal(86, gpu0.ClocksSmMhz);
        Assert.Equal(2619, gpu0.ClocksMemoryMhz);
        Assert.Equal(0, gpu0.EccErrorsUncorrectedVolatile);
        Assert.NotNull(gpu0.EccErrorsUncorrectedVolatile);
        Assert.Null(gpu0.RetiredPagesSingleBit); // "N/A" on Hopper
        Assert.False(gpu0.RemappedRowsPending);
        Assert.NotNull(gpu0.RemappedRowsPending);
        Assert.Equal(69.52, telemetry.Gpus[1].PowerDrawW);
        Assert.Equal("0000:3b:00", inventory.FindGpu(1)!.XidPci);
        Assert.Equal(["0000:05:00.0", "0000:06:00.0", "0000:07:00.0", "0000:08:00.0"], inventory.NvSwitches.Select(s => s.PciBusId));
    }
}
