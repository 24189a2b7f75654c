using FaultAgent.HostProcesses;
using FaultAgent.Telemetry;
using FaultAgent.Tests.HostProcesses;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.Telemetry;

/// <summary>Board serials and PCI ids through the real runner, from the stand-in nvidia-smi answering from the real H100 capture.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class NvidiaSmiBoardInfoSourceTests : IClassFixture<HostNamespaceFixture>
{
    private readonly HostNamespaceFixture _host;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 22, 0, 12, 20, TimeSpan.Zero));

    public NvidiaSmiBoardInfoSourceTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    private (NvidiaSmiBoardInfoSource Source, CountingHostCommandRunner Runner) Create(string nvidiaSmiPath)
    {
        var tools = new HostToolsOptions { NvidiaSmiPath = nvidiaSmiPath };
        var runner = new CountingHostCommandRunner(NsenterHostCommandRunnerTests.CreateRunner(_host.TargetPid, tools));
        return (new NvidiaSmiBoardInfoSource(runner, Options.Create(tools), Options.Create(new TelemetryOptions()), _time, NullLogger<NvidiaSmiBoardInfoSource>.Instance), runner);
    }

    [RootFact]
    public async Task GetAsync_RealH100Capture_SerialAndPciIdOfThatBoardThenKept()
    {
        var smi = StandInNvidiaSmi.ForSimulatedNode(_host, "gpu-node-001");
        var (source, runner) = Create(smi.Path);

        var first = await source.GetAsync("0000:3b:00.0", CancellationToken.None);
        var other = await source.GetAsync("0000:19:00.0", CancellationToken.None);

        Assert.Equal(new("1650124008135", "10de:2330", null), first);
        Assert.Equal("1650124031592", other.Serial);
        Assert.Equal(1, runner.Count); // one nvidia-smi run answered both; a board's values do not change
        Assert.Equal(["--query-gpu=pci.bus_id,serial,pci.device_id --format=csv,noheader,nounits"], smi.Calls);
    }

    [RootFact]
    public async Task GetAsync_NoNvidiaSmi_UnknownWithTheReasonAndNotRetriedForAMinute()
    {
        var (source, runner) = Create("/nonexistent/nvidia-smi");

        var answer = await source.GetAsync("0000:3b:00.0", CancellationToken.None);
        await source.GetAsync("0000:3b:00.0", CancellationToken.None);

        Assert.Null(answer.Serial);
        Assert.Null(answer.PciId);
        Assert.Contains("nvidia-smi could not be run", answer.UnavailableReason, StringComparison.Ordinal);
        Assert.Equal(1, runner.Count);

        _time.Advance(NvidiaSmiBoardInfoSource.RetryAfterFailure);
        await source.GetAsync("0000:3b:00.0", CancellationToken.None);
        Assert.Equal(2, runner.Count);
    }

    [RootTheory]
    [InlineData("00000000:18:00.0, 1650124031592, 0x233010DE", "0000:18:00.0", "1650124031592", "10de:2330")]
    [InlineData("00000001:00:00.0, [N/A], 0x26B510DE", "0001:00:00.0", null, "10de:26b5")]
    [InlineData("00000000:01:00.0, 1324, [Not Supported]", "0000:01:00.0", "1324", null)]
    public void Parse_QueryLines_ProcfsBusIdSerialAndDriverStylePciId(string line, string bus, string? serial, string? pciId)
    {
        var (busId, info) = Assert.Single(NvidiaSmiBoardInfoSource.Parse(line + "\n"));

        Assert.Equal(bus, busId);
        Assert.Equal(serial, info.Serial);
        Assert.Equal(pciId, info.PciId);
        Assert.Equal(serial is null || pciId is null, info.UnavailableReason is not null);
    }
}
