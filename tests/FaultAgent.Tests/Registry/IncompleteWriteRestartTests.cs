using System.Globalization;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// A real agent process killed in the middle of a multi-record write (only the first record landed in the machine's
/// /dev/kmsg) and restarted: the fault is recorded PARTIALLY_WRITTEN with the record that landed as its proof (an
/// identical record from before the write does not count), and the caller's retry is answered DATA_LOSS with that
/// fault — the agent writes nothing more.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class IncompleteWriteRestartTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "tn" + Guid.NewGuid().ToString("N")[..10];

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task Restart_AfterAKillBetweenRecords_PartiallyWrittenAndTheRetryWritesNothing()
    {
        var settings = Settings();
        var planned = 0;
        var request = new InjectXidRequest { FaultId = "torn-1", Xid = 79, GpuId = 0, CompanionLines = true, ProcessName = _marker, Pid = 4242, IdempotencyKey = "key-torn-1" };
        await using (var first = await AgentProcess.StartAsync(settings))
        {
            using var channel = GrpcChannel.ForAddress(first.GrpcAddress);
            var written = await new AgentClient(channel).InjectXidAsync(request, AgentApplicationFactory.Auth());
            planned = written.Fault.Records.Count;
            Assert.True(planned > 1, $"{planned} records");
            await first.KillAsync();
        }

        var landed = CrashedWrite.AfterFirstRecord(settings["Agent:StateDirectory"], "torn-1");
        var inKernelLog = (await HostKernelLogReader.ReadContainingAsync(_marker)).Count;

        await using var restarted = await AgentProcess.StartAsync(settings);
        using var restartedChannel = GrpcChannel.ForAddress(restarted.GrpcAddress);
        var client = new AgentClient(restartedChannel);
        var fault = await client.GetFaultAsync(new GetFaultRequest { FaultId = "torn-1" }, AgentApplicationFactory.Auth());

        Assert.Equal(FaultState.PartiallyWritten, fault.State);
        Assert.Equal(InjectionWriteOutcome.PartiallyWritten, fault.WriteOutcome);
        var proof = Assert.Single(fault.Records);
        Assert.Equal(landed, proof.Text);
        Assert.True(proof.Sequence > 0);
        Assert.Equal(planned - 1, fault.UnconfirmedRecords.Count);
        Assert.Contains($"records 1-1 of {planned} are in the kernel log", fault.WriteError, StringComparison.Ordinal);

        var retry = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.DataLoss, retry.StatusCode);
        Assert.Equal("INJECTION_PARTIALLY_WRITTEN", retry.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(proof.Sequence, Assert.Single(retry.GetRpcStatus()!.GetDetail<Fault>().Records).Sequence);
        Assert.Equal(inKernelLog, (await HostKernelLogReader.ReadContainingAsync(_marker)).Count);
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
