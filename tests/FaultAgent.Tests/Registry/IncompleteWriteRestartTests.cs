using System.Globalization;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A real agent process killed in the middle of a multi-record write (only the first record landed in the machine's
/// /dev/kmsg) and restarted: the fault is recorded PARTIALLY_WRITTEN with the record that landed as its proof (an
/// identical record from before the write does not count), and the caller's retry is answered DATA_LOSS with that
/// fault — the agent writes nothing more. The kernel log is shared with every other writer on the machine: when they
/// made the ring overwrite the records from the pending entry's sequence on before the restarted agent read them, the
/// documented answer is OUTCOME_UNKNOWN (never "nothing written"), and the test checks that instead — only then, seen
/// from the ring itself. What the agent wrote is checked by a <see cref="KernelLogRecorder"/> (every record, with its
/// sequence, from before the first write), not by dmesg afterwards.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class IncompleteWriteRestartTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "tn" + Guid.NewGuid().ToString("N")[..10];
    private readonly ITestOutputHelper _output;

    public IncompleteWriteRestartTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task Restart_AfterAKillBetweenRecords_PartiallyWrittenAndTheRetryWritesNothing()
    {
        using var kernelLog = KernelLogRecorder.Start();
        var settings = Settings();
        var planned = 0;
        List<string> ours;
        var request = new InjectXidRequest { FaultId = "torn-1", Xid = 79, GpuId = 0, CompanionLines = true, ProcessName = _marker, Pid = 4242, IdempotencyKey = "key-torn-1" };
        await using (var first = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(first.GrpcAddress);
            var written = await new AgentClient(channel).InjectXidAsync(request, AgentApplicationFactory.Auth());
            planned = written.Fault.Records.Count;
            Assert.True(planned > 1, $"{planned} records");
            ours = [.. written.Fault.Records.Select(r => r.Text).Where(t => t.Contains(_marker, StringComparison.Ordinal))];
            await first.KillAsync();
        }

        var landed = CrashedWrite.AfterFirstRecord(settings["Agent:StateDirectory"], "torn-1", out var fromSequence);

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var client = new AgentClient(restartedChannel);
        var fault = await client.GetFaultAsync(new GetFaultRequest { FaultId = "torn-1" }, AgentApplicationFactory.Auth());

        // The agent resolved the pending entry at its start, before it answered; the ring only moves forward, so if it
        // holds the pending entry's sequence now, it held every record from there on then.
        var oldest = KernelLogRingFiller.OldestSequence();
        var retry = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);
        var records = kernelLog.Snapshot();
        kernelLog.AssertNoneLost();
        _output.WriteLine($"pending from sequence {fromSequence}, the ring's oldest record after the restart {oldest}: {fault.State} ({fault.WriteError})");
        if (oldest > fromSequence && fault.State == FaultState.OutcomeUnknown)
        {
            // Other writers overwrote the records the restart needed: whether record 1 landed cannot be proven there.
            Assert.Equal(InjectionWriteOutcome.Unknown, fault.WriteOutcome);
            Assert.Contains("no longer held the records from sequence", fault.WriteError, StringComparison.Ordinal);
            Assert.All(fault.Records, r => Assert.True(records.GetValueOrDefault(r.Sequence) == r.Text, $"proof at {r.Sequence} is not '{r.Text}'"));
            Assert.Equal(StatusCode.Unknown, retry.StatusCode);
            Assert.Equal("INJECTION_OUTCOME_UNKNOWN", retry.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        }
        else
        {
            Assert.True(
                fault.State == FaultState.PartiallyWritten,
                $"expected PARTIALLY_WRITTEN (the ring's oldest record {oldest} <= the pending sequence {fromSequence}, or another answer than unknown), got {fault.State}: {fault.WriteError}");
            Assert.Equal(InjectionWriteOutcome.PartiallyWritten, fault.WriteOutcome);
            var proof = Assert.Single(fault.Records);
            Assert.Equal(landed, proof.Text);
            Assert.True(proof.Sequence >= fromSequence && records.GetValueOrDefault(proof.Sequence) == landed,
                $"the proof names sequence {proof.Sequence} (pending from {fromSequence}); the kernel log holds '{records.GetValueOrDefault(proof.Sequence)}' there");
            Assert.Equal(planned - 1, fault.UnconfirmedRecords.Count);
            Assert.Contains($"records 1-1 of {planned} are in the kernel log", fault.WriteError, StringComparison.Ordinal);
            Assert.Equal(StatusCode.DataLoss, retry.StatusCode);
            Assert.Equal("INJECTION_PARTIALLY_WRITTEN", retry.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
            Assert.Equal(proof.Sequence, Assert.Single(retry.GetRpcStatus()!.GetDetail<Fault>().Records).Sequence);
        }

        // Nothing more was written: the records naming this test's process are the first write's, once each.
        var named = KernelLogRecorder.Containing(records, _marker);
        Assert.True(named.SequenceEqual(ours), $"the kernel log's records naming {_marker}: {string.Join(" | ", named)}; the first write's: {string.Join(" | ", ours)}");
    }

    private Dictionary<string, string> Settings()
    {
        var procRoot = TestProcRoot.Create(_directory.Path);
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-torn",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = _target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
        };
    }
}
