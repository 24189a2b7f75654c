using FaultAgent.HostProcesses;
using FaultAgent.Injection;
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

    /// <param name="spawn">With it, the runner is on the fake clock, and each run's program starts that long (on it) after the run is asked for.</param>
    private (NvidiaSmiBoardInfoSource Source, CountingHostCommandRunner Runner) Create(string nvidiaSmiPath, TimeSpan? spawn = null)
    {
        var tools = new HostToolsOptions { NvidiaSmiPath = nvidiaSmiPath };
        var runner = spawn is { } taking
            ? new CountingHostCommandRunner(NsenterHostCommandRunnerTests.CreateRunner(_host.TargetPid, tools, time: _time), () => _time.Advance(taking))
            : new CountingHostCommandRunner(NsenterHostCommandRunnerTests.CreateRunner(_host.TargetPid, tools));
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

        var answer = (await AskedOnceWithinAMinuteAsync(source, runner, "0000:3b:00.0"))[0];

        Assert.Null(answer.Serial);
        Assert.Null(answer.PciId);
        Assert.Contains("nvidia-smi could not be run", answer.UnavailableReason, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task GetAsync_BoardWithoutASerial_AskedAgainOnlyAfterAMinute()
    {
        // nvidia-smi answers, but this board has no serial ([N/A], as the samples' 570.158.01 node prints): the driver's
        // serial lines are left out, and every lookup (each Xid 79 and each dry run of one, none of them rate-limited) ran
        // nvidia-smi on the host again.
        var smi = new StandInNvidiaSmi(_host, NoSerial);
        var (source, runner) = Create(smi.Path);

        var answers = await AskedOnceWithinAMinuteAsync(source, runner, "0001:00:00.0", "0002:00:00.0");

        Assert.Null(answers[0].Serial);
        Assert.Equal("10de:26b5", answers[0].PciId);
        Assert.Contains("no board serial", answers[0].UnavailableReason, StringComparison.Ordinal);
        Assert.Contains("lists no GPU at 0002:00:00.0", answers[1].UnavailableReason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Looks up each board, then the first again, all within a minute: one nvidia-smi run answers them all; a minute on,
    /// the first is asked for with a new run. Returns the answers of the first lookups.
    /// </summary>
    private async Task<GpuBoardInfo[]> AskedOnceWithinAMinuteAsync(NvidiaSmiBoardInfoSource source, CountingHostCommandRunner runner, params string[] busIds)
    {
        var answers = new List<GpuBoardInfo>();
        foreach (var busId in busIds)
        {
            answers.Add(await source.GetAsync(busId, CancellationToken.None));
        }

        await source.GetAsync(busIds[0], CancellationToken.None);
        Assert.Equal(1, runner.Count);

        _time.Advance(NvidiaSmiBoardInfoSource.RetryAfterFailure);
        await source.GetAsync(busIds[0], CancellationToken.None);
        Assert.Equal(2, runner.Count);
        return [.. answers];
    }

    [RootFact]
    public async Task GetAsync_ManyLookupsAtOnce_ShareOneNvidiaSmiRun()
    {
        var smi = new StandInNvidiaSmi(_host, NoSerial);
        smi.Gate();
        var (source, runner) = Create(smi.Path);

        // 16 lookups at once (16 dry runs of Xid 79 on a node): each was its own nvidia-smi process on the host.
        var lookups = Enumerable.Range(0, 16).Select(_ => source.GetAsync("0001:00:00.0", CancellationToken.None)).ToList();
        smi.Release();
        var answers = await Task.WhenAll(lookups);

        Assert.All(answers, a => Assert.Equal("10de:26b5", a.PciId));
        Assert.Equal(1, runner.Count);
    }

    [RootFact]
    public async Task GetAsync_NvidiaSmiHangs_PendingSaysRetryWhenTheSharedRunTimesOut_AtLeastOneSecond()
    {
        // nvidia-smi hangs (the defaults: BoardLookupWait 3 s, CommandTimeout 30 s). Each refusal's retry delay is what is
        // left of the one shared run's CommandTimeout, counted from that run's start, in whole seconds rounded up, never
        // less than 1 s. Before (#14) the refusal carried no delay, so the API's 503 had no Retry-After.
        var smi = new StandInNvidiaSmi(_host, NoSerial);
        smi.Gate();
        var (source, runner) = Create(smi.Path);
        try
        {
            var first = await PendingAsync(source, runner);
            _time.Advance(TimeSpan.FromSeconds(20.5));
            var second = await PendingAsync(source, runner); // 23.5 s into the run
            _time.Advance(TimeSpan.FromSeconds(10));
            var third = await PendingAsync(source, runner); // 36.5 s: past the run's timeout (it is ending)

            Assert.Equal(TimeSpan.FromSeconds(27), first.RetryAfter);
            Assert.Equal(27, first.RetryAfterSeconds);
            Assert.Equal(TimeSpan.FromSeconds(4), second.RetryAfter); // 3.5 s left, rounded up
            Assert.Equal(4, second.RetryAfterSeconds);
            Assert.Equal(TimeSpan.FromSeconds(1), third.RetryAfter);
            Assert.Equal(1, third.RetryAfterSeconds);
            Assert.All(new[] { first, second, third }, p =>
            {
                Assert.Equal("0001:00:00.0", p.PciBusId);
                Assert.Contains($"retry after {p.RetryAfterSeconds} s", p.Message, StringComparison.Ordinal);
            });
            Assert.Equal(1, runner.Count); // every lookup waited for the one run
        }
        finally
        {
            smi.Release();
        }
    }

    [RootFact]
    public async Task GetAsync_NvidiaSmiHangs_ItsProcessStartedAfterTheRunWasAskedFor_PendingRetryAfterIsNeverShorterThanTheRunnersTimeLeft()
    {
        // The run is asked for at 0; the runner starts nvidia-smi, and its own 30 s CommandTimeout, 4 ms later (the spawn,
        // on the fake clock the runner shares), so the run ends at 30.004 s. The lookup is refused once the clock reads
        // 3.004 s (its BoardLookupWait passed, counted from 0 or, when the spawn ran first, from 0.004 s): 27 s are left.
        // Before, the delay was counted from the run's creation: RetryInfo 26.996 s, and a retry then came 4 ms before the
        // run's end, found it still going, and was refused again after another BoardLookupWait.
        var spawn = TimeSpan.FromMilliseconds(4);
        var smi = new StandInNvidiaSmi(_host, NoSerial);
        smi.Gate();
        var (source, runner) = Create(smi.Path, spawn);
        try
        {
            var asked = _time.GetUtcNow();
            var lookup = source.GetAsync("0001:00:00.0", CancellationToken.None);
            await runner.FirstReturned;
            _time.Advance(TimeSpan.FromSeconds(3));
            var pending = await Assert.ThrowsAsync<BoardInfoPendingException>(() => lookup);

            var runEnds = asked + spawn + new TelemetryOptions().CommandTimeout;
            Assert.True(_time.GetUtcNow() + pending.RetryAfter >= runEnds, $"retry after {pending.RetryAfter} comes before the run's timeout ends ({runEnds - _time.GetUtcNow()} left)");
            Assert.Equal(TimeSpan.FromSeconds(27), pending.RetryAfter); // in whole seconds, as the RetryInfo says it
            Assert.Equal(27, pending.RetryAfterSeconds);
            Assert.Contains("retry after 27 s", pending.Message, StringComparison.Ordinal);
        }
        finally
        {
            smi.Release();
        }
    }

    /// <summary>
    /// A lookup of 0001:00:00.0 that waits its BoardLookupWait (3 s, on the fake clock) and is refused; the clock moves
    /// once the runner has started the shared run's nvidia-smi (its timeout counting from then, on the fake clock's now).
    /// </summary>
    private async Task<BoardInfoPendingException> PendingAsync(NvidiaSmiBoardInfoSource source, CountingHostCommandRunner runner)
    {
        var lookup = source.GetAsync("0001:00:00.0", CancellationToken.None);
        await runner.FirstReturned;
        _time.Advance(TimeSpan.FromSeconds(3));
        return await Assert.ThrowsAsync<BoardInfoPendingException>(() => lookup);
    }

    private static readonly Dictionary<string, string[]> NoSerial = new(StringComparer.Ordinal)
    {
        ["pci.bus_id"] = ["00000001:00:00.0"],
        ["serial"] = ["[N/A]"],
        ["pci.device_id"] = ["0x26B510DE"],
    };

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
