using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Telemetry;
using FaultAgent.Tests.HostProcesses;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Telemetry;

/// <summary>The telemetry service through the real runner, against a stand-in nvidia-smi in the stand-in host's namespace.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class GpuTelemetryServiceTests : IClassFixture<HostNamespaceFixture>
{
    private const string H200 = "nvidia-smi_query-gpu_compute-apps_pmon_h200x8_real.txt";
    private readonly HostNamespaceFixture _host;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 22, 0, 12, 20, TimeSpan.Zero));

    public GpuTelemetryServiceTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    private (GpuTelemetryService Service, CountingHostCommandRunner Runner) Create(string nvidiaSmiPath, TelemetryOptions? options = null, string driverRoot = "")
    {
        var tools = new HostToolsOptions { NvidiaSmiPath = nvidiaSmiPath, DriverRoot = driverRoot };
        var runner = new CountingHostCommandRunner(NsenterHostCommandRunnerTests.CreateRunner(_host.TargetPid, tools));
        var service = new GpuTelemetryService(
            runner,
            Options.Create(new AgentOptions { NodeName = "gpu-node-001", TargetPid = _host.TargetPid }),
            Options.Create(tools),
            Options.Create(options ?? new TelemetryOptions()),
            _time,
            NullLogger<GpuTelemetryService>.Instance);
        return (service, runner);
    }

    [RootFact]
    public async Task GetTelemetryAsync_EightH200s_EveryMetricParsedAndTokensUnset()
    {
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table());
        var (service, _) = Create(smi.Path);

        var telemetry = await service.GetTelemetryAsync(refresh: false, CancellationToken.None);

        Assert.Equal("gpu-node-001", telemetry.NodeName);
        Assert.Equal("550.127.05", telemetry.DriverVersion);
        Assert.Equal(_time.GetUtcNow(), telemetry.CollectedAt);
        Assert.False(telemetry.Cached);
        Assert.Equal(8, telemetry.Gpus.Count);
        var gpu0 = telemetry.Gpus[0];
        Assert.Equal("GPU-a44622e3-2296-6285-0a86-84d0f6c67900", gpu0.Uuid);
        Assert.Equal("NVIDIA H200", gpu0.Name);
        Assert.Equal("0000:18:00.0", gpu0.PciBusId); // printed as 00000000:18:00.0; procfs form, as ListGpus
        Assert.Equal(130013, gpu0.MemoryUsedMib);
        Assert.Equal(143771, gpu0.MemoryTotalMib);
        Assert.Equal(13758, gpu0.MemoryFreeMib);
        Assert.Equal(100, gpu0.UtilizationGpuPercent);
        Assert.Equal(512.34, gpu0.PowerDrawW);
        Assert.Equal(5, gpu0.PcieLinkGenCurrent);
        Assert.Equal(16, gpu0.PcieLinkWidthMax);
        Assert.Equal(2619, gpu0.ClocksMemoryMhz);
        Assert.Equal("P0", gpu0.Pstate);
        Assert.Null(gpu0.RetiredPagesSingleBit);
        Assert.Null(gpu0.RetiredPagesPending);
        Assert.Null(telemetry.Gpus[7].PowerDrawW);
        Assert.Equal(700, telemetry.Gpus[7].PowerLimitW);
        var gpu3 = telemetry.Gpus[3];
        Assert.Equal(2, gpu3.EccErrorsUncorrectedVolatile);
        Assert.Equal(1, gpu3.RemappedRowsUncorrectable);
        Assert.True(gpu3.RemappedRowsPending);
        Assert.False(gpu3.RemappedRowsFailure);
        Assert.NotNull(gpu3.RemappedRowsFailure);
        Assert.Empty(service.UnsupportedFields);
    }

    [RootFact]
    public async Task GetTelemetryAsync_NvidiaSmiWithoutRowRemappingFields_DropsThemOnceAndRemembers()
    {
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table(withRowRemapping: false));
        var (service, runner) = Create(smi.Path);

        var telemetry = await service.GetTelemetryAsync(refresh: false, CancellationToken.None);

        Assert.Equal(8, telemetry.Gpus.Count);
        Assert.All(telemetry.Gpus, g => Assert.Null(g.RemappedRowsCorrectable));
        Assert.Equal(130053, telemetry.Gpus[1].MemoryUsedMib);
        Assert.Equal(
            ["remapped_rows.correctable", "remapped_rows.failure", "remapped_rows.pending", "remapped_rows.uncorrectable"],
            service.UnsupportedFields.Order(StringComparer.Ordinal));
        Assert.Equal(5, runner.Count); // one rejection per unknown field, then the answer

        await service.GetTelemetryAsync(refresh: true, CancellationToken.None);

        Assert.Equal(6, runner.Count);
        Assert.DoesNotContain("remapped_rows", smi.Calls[^1], StringComparison.Ordinal);
    }

    [RootFact]
    public async Task GetTelemetryAsync_WithinCacheDuration_ServesCacheThenRunsAgain()
    {
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table());
        var (service, runner) = Create(smi.Path, new TelemetryOptions { CacheDuration = TimeSpan.FromSeconds(5) });

        var first = await service.GetTelemetryAsync(refresh: false, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        var second = await service.GetTelemetryAsync(refresh: false, CancellationToken.None);

        Assert.Equal(1, runner.Count);
        Assert.False(first.Cached);
        Assert.True(second.Cached);
        Assert.Equal(first.CollectedAt, second.CollectedAt);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        var third = await service.GetTelemetryAsync(refresh: false, CancellationToken.None);
        Assert.Equal(2, runner.Count);
        Assert.False(third.Cached);

        var refreshed = await service.GetTelemetryAsync(refresh: true, CancellationToken.None);
        Assert.Equal(3, runner.Count);
        Assert.False(refreshed.Cached);
    }

    [RootFact]
    public async Task GetTelemetryAsync_ConcurrentCallers_ShareOneNvidiaSmiRun()
    {
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table());
        smi.Gate();
        var (service, runner) = Create(smi.Path);

        var callers = Enumerable.Range(0, 16).Select(i => service.GetTelemetryAsync(refresh: i % 2 == 0, CancellationToken.None)).ToList();
        await Eventually.TrueAsync(() => smi.Calls.Count == 1, "nvidia-smi to start");
        smi.Release();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, runner.Count);
        Assert.Single(smi.Calls);
        Assert.All(results, r => Assert.Equal(8, r.Gpus.Count));
        Assert.All(results, r => Assert.False(r.Cached));
    }

    [RootFact]
    public async Task GetTelemetryAsync_CallerCancelsWhileShared_OthersStillGetTheResult()
    {
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table());
        smi.Gate();
        var (service, runner) = Create(smi.Path);
        using var cts = new CancellationTokenSource();

        var cancelled = service.GetTelemetryAsync(refresh: false, cts.Token);
        var patient = service.GetTelemetryAsync(refresh: false, CancellationToken.None);
        await Eventually.TrueAsync(() => smi.Calls.Count == 1, "nvidia-smi to start");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        smi.Release();

        Assert.Equal(8, (await patient).Gpus.Count);
        Assert.Equal(1, runner.Count);
    }

    [RootFact]
    public async Task GetTelemetryAsync_OneGpuBroken_ServesTheOthers()
    {
        var table = StandInNvidiaSmi.H200Table();
        foreach (var values in table.Values)
        {
            values[1] = "[Unknown Error]";
        }

        table["pci.bus_id"][1] = "0000:2A:00.0";
        var smi = new StandInNvidiaSmi(_host, table);
        var (service, _) = Create(smi.Path);

        var telemetry = await service.GetTelemetryAsync(refresh: false, CancellationToken.None);

        Assert.Equal([0, 2, 3, 4, 5, 6, 7], telemetry.Gpus.Select(g => g.Index));
    }

    [RootFact]
    public async Task GetTelemetryAsync_NvidiaSmiCannotTalkToDriver_ThrowsUnavailableAndDoesNotCache()
    {
        var dir = _host.NewHostDirectory("broken-smi");
        var tool = _host.WriteToolAt(Path.Combine(dir, "nvidia-smi"),
            "#!/bin/sh\necho \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\"\nexit 9\n");
        var (service, runner) = Create(tool);

        var ex = await Assert.ThrowsAsync<HostCommandFailedException>(() => service.GetTelemetryAsync(refresh: false, CancellationToken.None));
        await Assert.ThrowsAsync<HostCommandFailedException>(() => service.GetTelemetryAsync(refresh: false, CancellationToken.None));

        Assert.Equal(global::Grpc.Core.StatusCode.Unavailable, FaultAgent.Grpc.FaultStatusCodes.For(ex));
        Assert.Equal(9, ex.ExitCode);
        Assert.Contains("couldn't communicate with the NVIDIA driver", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, runner.Count);
    }

    [RootFact]
    public async Task GetTelemetryAsync_NvidiaSmiHangs_ThrowsDeadlineExceeded()
    {
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table());
        smi.Gate(); // never released
        var (service, _) = Create(smi.Path, new TelemetryOptions { CommandTimeout = TimeSpan.FromSeconds(2) });

        var ex = await Assert.ThrowsAsync<HostCommandTimeoutException>(() => service.GetTelemetryAsync(refresh: false, CancellationToken.None));

        Assert.Equal(global::Grpc.Core.StatusCode.DeadlineExceeded, FaultAgent.Grpc.FaultStatusCodes.For(ex));
    }

    [RootFact]
    public async Task GetTelemetryAsync_NvidiaSmiNotOnHost_ThrowsFailedPrecondition()
    {
        var (service, _) = Create(Path.Combine(_host.ToolsDirectory, "absent", "nvidia-smi"));

        var ex = await Assert.ThrowsAsync<HostToolNotFoundException>(() => service.GetTelemetryAsync(refresh: false, CancellationToken.None));

        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, FaultAgent.Grpc.FaultStatusCodes.For(ex));
    }

    [RootFact]
    public async Task GetProcessesAsync_WithPmon_ComputeAppsMappedToIndexAndPmonSampled()
    {
        var apps = NvidiaSmiSamples.WithoutHeaderAndUnits(NvidiaSmiSamples.Block(H200, "gpu_uuid, pid", after: "## After"));
        var pmon = NvidiaSmiSamples.Block(H200, "# gpu");
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table(), apps, pmon);
        var (service, runner) = Create(smi.Path);

        var processes = await service.GetProcessesAsync(includePmon: true, CancellationToken.None);
        var again = await service.GetProcessesAsync(includePmon: true, CancellationToken.None);
        var withoutPmon = await service.GetProcessesAsync(includePmon: false, CancellationToken.None);

        Assert.Equal("gpu-node-001", processes.NodeName);
        Assert.Equal([0, 1, 3, 7], processes.Processes.Select(p => p.GpuIndex));
        Assert.Equal([1328667L, 1328668, 1328669, 1758887], processes.Processes.Select(p => p.Pid));
        Assert.Equal(130044, processes.Processes[1].UsedMemoryMib);
        Assert.Equal([2, 4, 5, 6], processes.Pmon.Select(s => s.GpuIndex));
        Assert.Equal(processes, again);
        Assert.Empty(withoutPmon.Pmon);
        Assert.Equal(4, withoutPmon.Processes.Count);
        // query-gpu once (cached for the second list), compute-apps twice (with and without pmon), pmon once.
        Assert.Equal(4, runner.Count);
        Assert.Equal(1, smi.Calls.Count(c => c.StartsWith("pmon", StringComparison.Ordinal)));
    }

    [RootFact]
    public async Task GetTelemetryAsync_ContainerisedDriverRoot_RunsNvidiaSmiChrootedThere()
    {
        var root = CreateDriverRoot();
        var smi = new StandInNvidiaSmi(_host, StandInNvidiaSmi.H200Table(), hostDirectory: Path.Combine(root, "opt", "nvidia"));
        Assert.False(File.Exists(_host.HostPath("/opt/nvidia/nvidia-smi"))); // only inside the driver root
        var (service, runner) = Create("/opt/nvidia/nvidia-smi", driverRoot: root);

        var telemetry = await service.GetTelemetryAsync(refresh: false, CancellationToken.None);

        Assert.Equal(8, telemetry.Gpus.Count);
        var command = Assert.Single(runner.Commands);
        Assert.Equal("/usr/sbin/chroot", command.Program);
        Assert.Equal([root, "/opt/nvidia/nvidia-smi"], command.Arguments.Take(2));
        Assert.Single(smi.Calls);
    }

    [RootFact]
    public async Task GetTelemetryAsync_DriverRootWithoutNvidiaSmi_ThrowsFailedPrecondition()
    {
        var root = CreateDriverRoot();
        var (service, _) = Create("/usr/bin/nvidia-smi", driverRoot: root);

        var ex = await Assert.ThrowsAsync<HostToolNotFoundException>(() => service.GetTelemetryAsync(refresh: false, CancellationToken.None));

        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, FaultAgent.Grpc.FaultStatusCodes.For(ex));
        Assert.Contains("in driver root " + root, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A minimal root in the host-only tmpfs, as the GPU Operator's /run/nvidia/driver: the host's /usr and /etc bound in.</summary>
    private string CreateDriverRoot()
    {
        var root = _host.NewHostDirectory("driver-root");
        Directory.CreateDirectory(_host.HostPath(Path.Combine(root, "usr")));
        _host.RunInHost("mount", "--bind", "-o", "ro", "/usr", Path.Combine(root, "usr"));
        foreach (var name in new[] { "etc", "bin", "sbin", "lib", "lib64" })
        {
            var entry = new FileInfo("/" + name);
            if (entry.LinkTarget is { } target)
            {
                File.CreateSymbolicLink(_host.HostPath(Path.Combine(root, name)), target);
            }
            else if (Directory.Exists("/" + name))
            {
                Directory.CreateDirectory(_host.HostPath(Path.Combine(root, name)));
                _host.RunInHost("mount", "--bind", "-o", "ro", "/" + name, Path.Combine(root, name));
            }
        }

        Directory.CreateDirectory(_host.HostPath(Path.Combine(root, "opt", "nvidia")));
        return root;
    }
}
