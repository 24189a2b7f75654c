using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;

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
    private AgentApplicationFactory _factory = null!;
    private AgentClient _client = null!;

    private string SmiCalls => _tools.Combine("smi-calls");

    private string SmiRelease => _tools.Combine("smi-release");

    public Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        _tools = new TestDirectory();
        // nvidia-smi's board query, answered only once the test creates the release file (the agent runs it through
        // nsenter in the target's namespaces, which see this directory).
        var smi = _tools.Combine("nvidia-smi");
        File.WriteAllText(smi,
            "#!/bin/sh\n"
            + $"echo \"$@\" >> '{SmiCalls}'\n"
            + $"while [ ! -e '{SmiRelease}' ]; do sleep 0.05; done\n"
            + $"echo '00000000:3B:00.0, {Serial}, 0x233010DE'\n"
            + "echo '00000000:5E:00.0, 1650124014250, 0x233010DE'\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _factory = new AgentApplicationFactory(_target.Pid, new Dictionary<string, string?> { ["Agent:Tools:NvidiaSmiPath"] = smi });
        _client = _factory.CreateGrpcClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        File.WriteAllText(SmiRelease, ""); // never leave the stand-in waiting
        await _factory.DisposeAsync();
        _tools.Dispose();
        _target.Dispose();
        _kernelLog.Dispose();
    }

    [RootFact]
    public async Task InjectXid_SecondOnTheGpuWhileTheFirstStillLooksUpTheBoard_ThePreambleIsWrittenOnceBeforeEveryXidLine()
    {
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

    private InjectXidRequest Request(int xid) => new() { Xid = xid, GpuId = 0, Pid = 4242, ProcessName = _marker };
}
