using FaultAgent.Drivers;
using FaultAgent.Gpus;
using FaultAgent.Hosting;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Gpus;

public sealed class ProcGpuDiscoveryTests
{
    private static ValueTask<GpuInventory> Discover(string procRoot) =>
        new ProcGpuDiscovery(Options.Create(new AgentOptions { ProcRoot = procRoot }), NullLogger<ProcGpuDiscovery>.Instance)
            .DiscoverAsync(CancellationToken.None);

    [Fact]
    public async Task DiscoverAsync_H100Node_FindsEightGpusByDeviceMinorAndFourSwitches()
    {
        var inventory = await Discover(TestData.ProcRoot("h100x8"));

        Assert.Empty(inventory.Problems);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], inventory.Gpus.Select(g => g.GpuId));
        Assert.Equal(
            ["0000:18:00.0", "0000:2a:00.0", "0000:3a:00.0", "0000:5d:00.0", "0000:9a:00.0", "0000:ab:00.0", "0000:ba:00.0", "0000:db:00.0"],
            inventory.Gpus.Select(g => g.PciBusId));
        Assert.All(inventory.Gpus, g => Assert.Equal("NVIDIA H100 80GB HBM3", g.Model));
        Assert.Equal(8, inventory.Gpus.Select(g => g.Uuid).Distinct().Count());
        Assert.Equal("0000:9a:00", inventory.FindGpu(4)!.XidPci);
        Assert.Equal("GPU-509665ad-b600-ac93-3616-d754b23d636d", inventory.FindGpu(4)!.Uuid);
        Assert.Equal([0, 1, 2, 3], inventory.NvSwitches.Select(s => s.Instance));
        Assert.Equal("0000:05:00.0", inventory.NvSwitches[0].PciBusId);
    }

    [Fact]
    public async Task DiscoverAsync_RealSamples_ListsAddressableGpusAndReportsOldDriverFile()
    {
        var inventory = await Discover(TestData.ProcRoot("real-samples"));

        Assert.Equal([0, 3, 5], inventory.Gpus.Select(g => g.GpuId));
        Assert.Equal("Tesla V100-SXM2-16GB", inventory.FindGpu(0)!.Model);
        Assert.Equal("0000:00:1e", inventory.FindGpu(3)!.XidPci);
        Assert.Equal("535.129.03", inventory.FindGpu(5)!.Field("GPU Firmware"));
        var problem = Assert.Single(inventory.Problems);
        Assert.EndsWith("0000:04:00.0/information", problem.Path, StringComparison.Ordinal);
        Assert.Contains("Device Minor", problem.Message, StringComparison.Ordinal);
        Assert.Empty(inventory.NvSwitches);
    }

    [Fact]
    public async Task DiscoverAsync_AzureDomains_NormalisesFourAndEightDigitDomains()
    {
        var inventory = await Discover(TestData.ProcRoot("azure"));

        Assert.Empty(inventory.Problems);
        Assert.Equal(["0001:00:00.0", "0002:00:00.0"], inventory.Gpus.Select(g => g.PciBusId));
        Assert.Equal(["0001:00:00", "0002:00:00"], inventory.Gpus.Select(g => g.XidPci));
    }

    [Fact]
    public async Task DiscoverAsync_CrlfFile_Parsed()
    {
        var inventory = await Discover(TestData.ProcRoot("crlf"));

        var gpu = Assert.Single(inventory.Gpus);
        Assert.Equal("NVIDIA GeForce RTX 3090", gpu.Model);
        Assert.Equal("590.48.01", gpu.Field("GPU Firmware"));
        Assert.DoesNotContain(gpu.Fields, f => f.Value.Contains('\r', StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_MalformedAndMissingEntries_ReportedWithPathsOthersListed()
    {
        var inventory = await Discover(TestData.ProcRoot("malformed"));

        var gpu = Assert.Single(inventory.Gpus);
        Assert.Equal("0000:01:00.0", gpu.PciBusId);
        Assert.Equal(2, inventory.Problems.Count);
        Assert.Contains(inventory.Problems, p => p.Path.EndsWith("0000:02:00.0/information", StringComparison.Ordinal));
        Assert.Contains(inventory.Problems, p => p.Path.EndsWith("0000:03:00.0/information", StringComparison.Ordinal) && p.Message.Contains("cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_DuplicateDeviceMinor_BothReportedNeitherListed()
    {
        var inventory = await Discover(TestData.ProcRoot("duplicates"));

        Assert.Equal([5], inventory.Gpus.Select(g => g.GpuId));
        Assert.Equal(2, inventory.Problems.Count);
        Assert.All(inventory.Problems, p => Assert.Contains("Device Minor 0 is shared", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_NvSwitchesInTheDriversLayout_NumberedInPciOrderOthersReported()
    {
        // The driver's layout: permissions, devices/<dddd:bb:dd.f>/information with only the BIOS version, no minor.
        using var proc = new TestDirectory();
        var switches = proc.Combine("driver", "nvidia-nvswitch");
        Directory.CreateDirectory(switches);
        File.WriteAllText(Path.Combine(switches, "permissions"), "DeviceFileMode: 438\n");
        foreach (var bdf in new[] { "0000:84:00.0", "0000:04:00.0", "0000:06:00.0", "0000:07:00" })
        {
            Directory.CreateDirectory(Path.Combine(switches, "devices", bdf));
            File.WriteAllText(Path.Combine(switches, "devices", bdf, "information"), "BIOS Version: N/A\n");
        }

        var inventory = await Discover(proc.Path);

        Assert.Equal([(0, "0000:04:00.0"), (1, "0000:06:00.0"), (2, "0000:84:00.0")], inventory.NvSwitches.Select(s => (s.Instance, s.PciBusId)));
        var problem = Assert.Single(inventory.Problems);
        Assert.EndsWith("0000:07:00", problem.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverAsync_NoDriverDirectory_ZeroGpusNoProblems()
    {
        var inventory = await Discover(Path.Combine(Path.GetTempPath(), "no-such-proc-" + Guid.NewGuid().ToString("N")));

        Assert.Empty(inventory.Gpus);
        Assert.Empty(inventory.NvSwitches);
        Assert.Empty(inventory.Problems);
    }

    [Fact]
    public async Task DiscoverAsync_RepositoryNodeSample_HasEightGpus()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "FaultInjection.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        var inventory = await Discover(Path.Combine(root, "samples", "nodes", "gpu-node-001", "proc"));

        Assert.Empty(inventory.Problems);
        Assert.Equal(8, inventory.Gpus.Count);
        Assert.Equal("535.161.08", inventory.DriverVersion?.Text); // the driver of the node's nvidia-smi capture
        Assert.Equal(
            [new MigGpuInstance(1, [0]), new MigGpuInstance(2, [0, 1])],
            inventory.FindGpu(7)!.MigInstances,
            (a, b) => a.GpuInstance == b.GpuInstance && a.ComputeInstances.SequenceEqual(b.ComputeInstances));
        Assert.Empty(inventory.FindGpu(0)!.MigInstances);
    }

    [Theory]
    [InlineData("version-535.161.08", "535.161.08", 535)]
    [InlineData("version-570.195.03", "570.195.03", 570)]
    [InlineData("version-570.169", "570.169", 570)]
    public void TryParseVersionFile_RealSamples_VersionOfTheKernelModule(string sample, string expected, int major)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "driver", sample));

        Assert.True(NvidiaDriverVersion.TryParseVersionFile(text, out var version));
        Assert.Equal(expected, version.Text);
        Assert.Equal(major, version.Major);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GCC version:  gcc version 12.3.0\n")]
    [InlineData("NVRM version: NVIDIA UNIX Kernel Module\n")]
    [InlineData("NVRM version: NVIDIA UNIX x86_64 Kernel Module  5x5.1  Tue\n")]
    public void TryParseVersionFile_NoVersion_False(string text)
    {
        Assert.False(NvidiaDriverVersion.TryParseVersionFile(text, out _));
    }

    [Fact]
    public async Task DiscoverAsync_UnparsableVersionFile_ProblemAndNoVersion()
    {
        using var directory = new TestDirectory();
        var procRoot = TestProcRoot.Create(directory.Path, driverVersionSample: null, mig: true);
        await File.WriteAllTextAsync(Path.Combine(procRoot, "driver", "nvidia", "version"), "garbage\n");

        var inventory = await Discover(procRoot);

        Assert.Null(inventory.DriverVersion);
        Assert.Contains(inventory.Problems, p => p.Path.EndsWith("driver/nvidia/version", StringComparison.Ordinal));
        Assert.Equal([1, 2], inventory.FindGpu(0)!.MigInstances.Select(m => m.GpuInstance));
    }
}
