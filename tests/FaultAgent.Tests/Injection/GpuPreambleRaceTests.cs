using System.Net.Http.Json;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using FaultInjection.TestSupport.Http;
using Google.Rpc;
using FaultAgent.Injection;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FaultAgent.Tests.Injection;

/// <summary>
/// The driver prints a GPU's preamble (<c>NVRM: GPU at PCI:...</c>, <c>NVRM: GPU Board Serial Number: ...</c>) before that
/// GPU's first Xid, always. Two injections on a GPU whose preamble is still due, at once: the first reserves the preamble
/// and asks the host's nvidia-smi for the board serial (here a stand-in that answers only when the test lets it); the
/// second comes meanwhile. The agent in process on real Kestrel, the real /dev/kmsg entered through a mount namespace the
/// test owns, the records' order read from the kernel log.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class GpuPreambleRaceTests : IAsyncLifetime
{
    private const string Serial = "1650124014249";

    /// <summary>How each Xid record on GPU 0 starts (journald's doubled identifier, then the driver's line).</summary>
    private const string XidLine = "NVRM: NVRM: Xid (PCI:0000:3b:00): ";

    private readonly string _marker = "p" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes
    private TargetNamespaceProcess _target = null!;
    private TestDirectory _tools = null!;
    private AgentApplicationFactory? _factory;
    private AgentClient _client = null!;
    private string _smi = "";

    private string SmiCalls => _tools.Combine("smi-calls");

    private string SmiRelease => _tools.Combine("smi-release");

    public Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        _tools = new TestDirectory();
        // nvidia-smi's board query, answered only once the test creates the release file (the agent runs it through
        // nsenter in the target's namespaces, which see this directory).
        var smi = _tools.Combine("nvidia-smi");
        _smi = smi;
        File.WriteAllText(smi,
            "#!/bin/sh\n"
            + $"echo \"$@\" >> '{SmiCalls}'\n"
            // Released by the test, or ended when its directory is gone (a release written just before the directory is
            // deleted can be missed between two polls, and the stand-in then outlived the test run, holding what it inherited).
            + $"while [ ! -e '{SmiRelease}' ] && [ -d '{_tools.Path}' ]; do sleep 0.05; done\n"
            + $"echo '00000000:3B:00.0, {Serial}, 0x233010DE'\n"
            + "echo '00000000:5E:00.0, 1650124014250, 0x233010DE'\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return Task.CompletedTask;
    }

    /// <summary>The agent, waiting for a board lookup at most <paramref name="boardLookupWait"/> (Agent:Telemetry:BoardLookupWait).</summary>
    private void StartAgent(string boardLookupWait)
    {
        _factory = new AgentApplicationFactory(_target.Pid, new Dictionary<string, string?>
        {
            ["Agent:Tools:NvidiaSmiPath"] = _smi,
            ["Agent:Telemetry:BoardLookupWait"] = boardLookupWait,
            ["Agent:Telemetry:CommandTimeout"] = "00:10:00",
        });
        _client = _factory.CreateGrpcClient();
    }

    public async Task DisposeAsync()
    {
        File.WriteAllText(SmiRelease, ""); // never leave the stand-in waiting
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _tools.Dispose();
        _target.Dispose();
        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task InjectXid_SecondOnTheGpuWhileTheFirstStillLooksUpTheBoard_ThePreambleIsWrittenOnceBeforeEveryXidLine()
    {
        StartAgent(boardLookupWait: "00:10:00"); // both wait for the held lookup here
        var first = _client.InjectXidAsync(Request(13), AgentApplicationFactory.Auth()).ResponseAsync;
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(SmiCalls) && File.ReadAllText(SmiCalls).Contains("serial", StringComparison.Ordinal)), "the first injection's board lookup");

        var second = _client.InjectXidAsync(Request(43), AgentApplicationFactory.Auth()).ResponseAsync;
        // The second is given the time to overtake the held first one; on main it wrote its Xid line then, before any
        // preamble. The assertions below are on the kernel log's order only, never on this time.
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(5)));
        File.WriteAllText(SmiRelease, "");
        var records = (await Task.WhenAll(first, second)).SelectMany(r => r.Fault.Records).OrderBy(r => r.Sequence).ToList();

        var kernelLog = _kernelLog.Snapshot();
        _kernelLog.AssertNoneLost();
        Assert.All(records, r => Assert.Equal(r.Text, kernelLog[r.Sequence]));
        Assert.Equal(
            [
                $"NVRM: NVRM: GPU at PCI:0000:3b:00: {TestProcRoot.Gpu0Uuid}",
                $"NVRM: NVRM: GPU Board Serial Number: {Serial}",
                XidLine,
                XidLine,
            ],
            records.Select(r => r.Text.StartsWith(XidLine, StringComparison.Ordinal) ? XidLine : r.Text));
    }

    [RootFact]
    public async Task InjectXid_AgentStopsWhileItWaitsForTheBoardSerial_RefusedAsPendingNamingTheStop_NothingWritten()
    {
        // The agent's stop kills the hung nvidia-smi run (HostCommandShutdown). An injection waiting for its board serial
        // is then refused as pending, nothing written — never written without the serial as though nvidia-smi had failed
        // (the preamble would then count as printed this boot, and the serial line would never follow).
        ObservedBoardInfoSource? observed = null;
        _factory = new AgentApplicationFactory(
            _target.Pid,
            new Dictionary<string, string?>
            {
                ["Agent:Tools:NvidiaSmiPath"] = _smi,
                ["Agent:Telemetry:BoardLookupWait"] = "00:10:00",
                ["Agent:Telemetry:CommandTimeout"] = "00:10:00",
            },
            services => services.AddSingleton<IGpuBoardInfoSource>(sp => observed = new ObservedBoardInfoSource(ActivatorUtilities.CreateInstance<FaultAgent.Telemetry.NvidiaSmiBoardInfoSource>(sp))));
        _client = _factory.CreateGrpcClient();
        var call = _client.InjectXidAsync(Request(13), AgentApplicationFactory.Auth(), DateTime.UtcNow.AddMinutes(1)).ResponseAsync;
        await Eventually.TrueAsync(() => Task.FromResult(observed is { Asked.IsCompleted: true }), "the injection's board lookup");

        _factory.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();

        var refused = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("the agent is stopping", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("BOARD_SERIAL_PENDING", refused.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        Assert.Empty(_kernelLog.SnapshotContaining(_marker));
    }

    [RootFact]
    public async Task InjectXid_NvidiaSmiHangsOnAFreshGpu_EveryInjectionIsRefusedUnavailableNamingNvidiaSmiNothingWrittenAndNoReservationLeft()
    {
        // nvidia-smi hangs (until the test releases it); it may run 10 minutes (CommandTimeout), an injection waits 1 s
        // for it. Before (#14, preamblecrash): the first injection waited for the run, the second for the first one's
        // preamble reservation, each until its caller's deadline (through the API, a 504 after 15 s, naming nothing).
        StartAgent(boardLookupWait: "00:00:01");
        var deadline = DateTime.UtcNow.AddMinutes(1); // far past the wait: a call still waiting for nvidia-smi ends DEADLINE_EXCEEDED, not UNAVAILABLE
        var first = _client.InjectXidAsync(Request(13), AgentApplicationFactory.Auth(), deadline).ResponseAsync;
        var second = _client.InjectXidAsync(Request(43), AgentApplicationFactory.Auth(), deadline).ResponseAsync;
        var refusals = new List<RpcException>();
        foreach (var call in new[] { first, second })
        {
            refusals.Add(await Assert.ThrowsAsync<RpcException>(() => call));
        }

        Assert.All(refusals, e =>
        {
            Assert.Equal(StatusCode.Unavailable, e.StatusCode);
            Assert.Contains("nvidia-smi has not answered within 1 s", e.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("Nothing was written", e.Status.Detail, StringComparison.Ordinal);
            // Machine-readable: its reason, and when the shared run (CommandTimeout 10 min here) has answered or timed out.
            var status = e.GetRpcStatus()!;
            var info = status.GetDetail<ErrorInfo>()!;
            Assert.Equal(("BOARD_SERIAL_PENDING", "faultinjection.agent.v1", "0000:3b:00.0"), (info.Reason, info.Domain, info.Metadata["pci_bus_id"]));
            var retryAfter = status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan();
            Assert.InRange(retryAfter, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
            Assert.Equal(((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture), info.Metadata["retry_after_seconds"]);
        });

        using var http = _factory!.CreateHttpClient();
        http.Timeout = TimeSpan.FromMinutes(1);
        using var viaHttp = await http.PostAsJsonAsync("/inject-xid", new { xid_type = 31, gpu_id = 0, pid = 4242, process_name = _marker });
        var problem = await BoardSerialPendingProblem.ReadAsync(viaHttp, "0000:3b:00.0", minRetryAfterSeconds: 300, maxRetryAfterSeconds: 600);
        Assert.Contains("nvidia-smi has not answered", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_kernelLog.SnapshotContaining(_marker));

        // Once nvidia-smi answers, the next injection writes the preamble with the serial: no reservation was left behind.
        File.WriteAllText(SmiRelease, "");
        InjectResponse? written = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                written = await _client.InjectXidAsync(Request(13), AgentApplicationFactory.Auth(), deadline);
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false; // the held run is still ending
            }
        }, "an injection after nvidia-smi answered");
        var kernelLog = _kernelLog.Snapshot();
        _kernelLog.AssertNoneLost();
        Assert.All(written!.Fault.Records, r => Assert.Equal(r.Text, kernelLog[r.Sequence]));
        Assert.Equal(
            [$"NVRM: NVRM: GPU at PCI:0000:3b:00: {TestProcRoot.Gpu0Uuid}", $"NVRM: NVRM: GPU Board Serial Number: {Serial}", XidLine],
            written.Fault.Records.Select(r => r.Text.StartsWith(XidLine, StringComparison.Ordinal) ? XidLine : r.Text));
        Assert.Single(_kernelLog.SnapshotContaining(_marker));
    }

    [RootFact]
    public async Task Start_GpusWhosePreambleIsDue_NvidiaSmiRunOnceAhead_FirstInjectionWritesPreambleSerialAndXidWithoutRunningItAgain()
    {
        // nvidia-smi answers at once here; the agent asks it when it reads its GPU inventory at start, before any
        // injection, so a GPU's first Xid finds its serial kept (#14). Before: the first injection ran it.
        File.WriteAllText(SmiRelease, "");
        StartAgent(boardLookupWait: "00:00:03");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(SmiCalls) && File.ReadAllText(SmiCalls).Contains("serial", StringComparison.Ordinal)), "the board lookup at start");

        var written = await _client.InjectXidAsync(Request(13), AgentApplicationFactory.Auth());

        var kernelLog = _kernelLog.Snapshot();
        _kernelLog.AssertNoneLost();
        Assert.All(written.Fault.Records, r => Assert.Equal(r.Text, kernelLog[r.Sequence]));
        Assert.Equal(
            [$"NVRM: NVRM: GPU at PCI:0000:3b:00: {TestProcRoot.Gpu0Uuid}", $"NVRM: NVRM: GPU Board Serial Number: {Serial}", XidLine],
            written.Fault.Records.Select(r => r.Text.StartsWith(XidLine, StringComparison.Ordinal) ? XidLine : r.Text));
        Assert.Single(File.ReadAllLines(SmiCalls)); // once in all: at start, not again for the injection
    }

    private InjectXidRequest Request(int xid) => new() { Xid = xid, GpuId = 0, Pid = 4242, ProcessName = _marker };
}
