using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Injection;

/// <summary>
/// The real agent process, the machine's real /dev/kmsg (through a mount namespace the test owns), SIGKILLed after the
/// first Xid on a GPU wrote the driver's preamble and before it saved that in <c>gpu-preamble.json</c>, then restarted.
/// The kill lands in that window without any hook in the product: the test puts a FIFO where the agent writes the file
/// before renaming it (<c>gpu-preamble.json.tmp</c>), so its open() blocks, with no reader, until the kill. The GPU has
/// a UUID of this test's own, so every preamble line of it in the kernel log (read by a <see cref="KernelLogRecorder"/>
/// from before the first write) is this test's.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class GpuPreambleCrashTests : IDisposable
{
    private const string Serial = "1650124014249";
    private const string XidPci = "0000:3b:00";

    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "pc" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _uuid = "GPU-" + Guid.NewGuid().ToString("D");

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
    }

    private string StateDirectory => _directory.Combine("state");

    private string PreambleLine => $"NVRM: NVRM: GPU at PCI:{XidPci}: {_uuid}";

    [RootFact]
    public async Task Restart_AfterAKillBetweenThePreamblesKernelWriteAndItsSave_NeitherTheNextXidNorADryRunWritesItAgain()
    {
        using var kernelLog = KernelLogRecorder.Start();
        var settings = Settings();
        var first = await InjectThenKillBeforeThePreambleIsSavedAsync(settings, "first");
        Assert.Equal([PreambleLine, $"NVRM: NVRM: GPU Board Serial Number: {Serial}"], first.Take(2));
        Assert.False(File.Exists(Path.Combine(StateDirectory, GpuPreambleLedger.FileName)), "the kill came after the save");

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var client = new AgentClient(channel);
        var dryRun = await client.InjectXidAsync(Request("dry", dryRun: true), AgentApplicationFactory.Auth());
        var next = await client.InjectXidAsync(Request("next"), AgentApplicationFactory.Auth());
        var recorded = await client.GetFaultAsync(new GetFaultRequest { FaultId = FaultId("first") }, AgentApplicationFactory.Auth());
        var records = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();

        // On main (the set saved only after the write) the restarted agent wrote the preamble again before 'next' and
        // showed it in the dry run: the driver never prints it twice in one boot.
        Assert.Equal(FaultState.Active, recorded.State);
        Assert.Equal(first, recorded.Records.Select(r => r.Text));
        Assert.All(recorded.Records.Concat(next.Fault.Records), r => Assert.Equal(r.Text, records[r.Sequence]));
        Assert.Single(next.Fault.Records);
        Assert.Contains(_marker, next.Fault.Records[0].Text, StringComparison.Ordinal);
        Assert.Single(dryRun.Fault.Records);
        Assert.Single(records.Values, t => t == PreambleLine);
        Assert.Contains(XidPci, File.ReadAllText(Path.Combine(StateDirectory, GpuPreambleLedger.FileName)), StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Restart_AfterAKillBeforeTheFirstWriteReachedTheKernel_TheNextXidWritesThePreamble()
    {
        // The journal holds the first injection's pending entry and nothing of it is in the kernel log from that entry's
        // sequence on (the test rewrites the journal so: CrashedWrite.BeforeTheWrite): the preamble was never printed as
        // far as the agent can prove, so the next Xid on the GPU must carry it.
        using var kernelLog = KernelLogRecorder.Start();
        var settings = Settings();
        await InjectThenKillBeforeThePreambleIsSavedAsync(settings, "first");
        var fromSequence = CrashedWrite.BeforeTheWrite(StateDirectory, FaultId("first"));

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var client = new AgentClient(channel);
        var resolved = await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth());
        var next = await client.InjectXidAsync(Request("next"), AgentApplicationFactory.Auth());
        var records = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();

        Assert.All(next.Fault.Records, r => Assert.Equal(r.Text, records[r.Sequence]));
        if (resolved.Faults.SingleOrDefault(f => f.FaultId == FaultId("first")) is { } unknown)
        {
            // Other writers made the ring drop the records from the pending entry's sequence on before the restart read
            // them: whether the preamble landed cannot be proven, and the agent does not write it a second time.
            Assert.Equal(FaultState.OutcomeUnknown, unknown.State);
            Assert.True(KernelLogRingFiller.OldestSequence() > fromSequence, "unknown while the ring still holds the pending entry's sequence");
            Assert.Single(next.Fault.Records);
            return;
        }

        Assert.Equal([PreambleLine, $"NVRM: NVRM: GPU Board Serial Number: {Serial}"], next.Fault.Records.Take(2).Select(r => r.Text));
        Assert.Equal(3, next.Fault.Records.Count);
    }

    /// <summary>
    /// Starts the agent with a FIFO in place of the preamble file's temporary copy, injects the GPU's first Xid, waits
    /// until the journal recorded it (its records are in the kernel log then, the agent blocked in the save), and kills
    /// the agent; the FIFO is removed. Returns the fault's records as the journal holds them.
    /// </summary>
    private async Task<List<string>> InjectThenKillBeforeThePreambleIsSavedAsync(Dictionary<string, string> settings, string name)
    {
        Directory.CreateDirectory(StateDirectory);
        var fifo = Path.Combine(StateDirectory, GpuPreambleLedger.FileName + ".tmp");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        List<string> records = [];
        await using (var agent = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var call = new AgentClient(channel).InjectXidAsync(Request(name), AgentApplicationFactory.Auth()).ResponseAsync;
            await Eventually.TrueAsync(() => Task.FromResult(Recorded(FaultId(name)) is { } found && (records = found).Count > 0), "the first Xid recorded in the journal");
            Assert.False(call.IsCompleted, "the injection answered before the preamble's save");
            await agent.KillAsync();
            await Assert.ThrowsAsync<RpcException>(() => call);
        }

        File.Delete(fifo);
        return records;
    }

    /// <summary>The fault's records as the journal recorded them (its documented line format); null before that.</summary>
    private List<string>? Recorded(string faultId)
    {
        var path = Path.Combine(StateDirectory, "faults.journal");
        if (!File.Exists(path))
        {
            return null;
        }

        var entries = new List<JsonObject>();
        foreach (var line in File.ReadAllLines(path))
        {
            try
            {
                entries.Add(JsonNode.Parse(line[17..])!.AsObject());
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentOutOfRangeException)
            {
                return null; // a line still being appended
            }
        }

        if (!entries.Any(e => (string?)e["fault_id"] == faultId && (string?)e["op"] == "Recorded"))
        {
            return null;
        }

        return [.. JournalRecordedFault.Find(entries, faultId)["records"]!.AsArray().Select(r => (string)r!["text"]!)];
    }

    private string FaultId(string name) => $"{_marker}-{name}";

    private InjectXidRequest Request(string name, bool dryRun = false) => new() { FaultId = FaultId(name), Xid = 13, GpuId = 0, Pid = 4242, ProcessName = _marker, DryRun = dryRun };

    private Dictionary<string, string> Settings()
    {
        var procRoot = _directory.Combine("proc");
        var gpuDirectory = Path.Combine(procRoot, "driver", "nvidia", "gpus", "0000:3b:00.0");
        Directory.CreateDirectory(gpuDirectory);
        var information = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "gpu-information-h100.txt"));
        File.WriteAllText(Path.Combine(gpuDirectory, "information"), information.Replace(TestProcRoot.Gpu0Uuid, _uuid, StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(procRoot, "sys", "kernel", "random"));
        File.Copy("/proc/sys/kernel/random/boot_id", Path.Combine(procRoot, "sys", "kernel", "random", "boot_id"));
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");

        // nvidia-smi's board query (run through nsenter in the target's namespaces, which see this directory).
        var smi = _directory.Combine("nvidia-smi");
        File.WriteAllText(smi, $"#!/bin/sh\necho '00000000:3B:00.0, {Serial}, 0x233010DE'\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(smi, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-preamble-crash",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = _target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = StateDirectory,
            ["Agent:TokenFile"] = _directory.Combine("token"),
            ["Agent:Tools:NvidiaSmiPath"] = smi,
        };
    }
}
