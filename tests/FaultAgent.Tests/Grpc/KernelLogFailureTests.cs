using System.Diagnostics;
using System.Net;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Rpc;
using Grpc.Core;
using FaultInjection.TestSupport.Http;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// Kernel-log failures reach callers as FAILED_PRECONDITION / UNAVAILABLE (HTTP 503) and record nothing; a write whose
/// outcome is unknown or partial is its own answer (UNKNOWN / DATA_LOSS, HTTP 500 with its type), recorded so, and a
/// retry replays it without writing. The unavailable case is real (the target process is gone, so its mount namespace
/// cannot be entered); a record the kernel drops, or one the ring overwrites before the read-back, cannot be provoked
/// on demand, so those cases use the test-only in-memory kernel log (the restart tests cover them for real).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class KernelLogFailureTests
{
    [RootFact]
    public async Task InjectXid_TargetProcessGone_FailedPreconditionAndNothingRecorded()
    {
        using var factory = new AgentApplicationFactory(await ExitedProcessIdAsync());
        var client = factory.CreateGrpcClient();

        var error = await Assert.ThrowsAsync<RpcException>(
            () => client.InjectXidAsync(new InjectXidRequest { FaultId = "x", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootFact]
    public async Task InjectXidHttp_TargetProcessGone_Problem503()
    {
        using var factory = new AgentApplicationFactory(await ExitedProcessIdAsync());
        using var http = factory.CreateHttpClient();

        using var response = await http.PostAsync(
            new Uri("/inject-xid", UriKind.Relative),
            new StringContent("""{"xid_type": 79, "gpu_id": 0}""", System.Text.Encoding.UTF8, "application/json"));

        _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    [RootFact]
    public async Task InjectXid_RecordLost_UnavailableKernelLogRecordLostAndNothingRecorded()
    {
        var kernelLog = new InMemoryKernelLog { FailNextWrite = new KernelLogRecordLostException("record 12 never appeared") };
        using var factory = new AgentApplicationFactory(Environment.ProcessId, configureServices: s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        var client = factory.CreateGrpcClient();

        var error = await Assert.ThrowsAsync<RpcException>(
            () => client.InjectXidAsync(new InjectXidRequest { FaultId = "x", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("KERNEL_LOG_RECORD_LOST", info.Reason);
        Assert.Equal("faultinjection.agent.v1", info.Domain);
        Assert.Empty(info.Metadata); // no DCGM value was written before it: nothing of the injection is anywhere
        Assert.Equal("The kernel log did not keep the record: record 12 never appeared. Nothing was recorded; retry later.", error.Status.Detail);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [RootFact]
    public async Task InjectXidHttp_RecordLost_Problem503WithTheReason()
    {
        var kernelLog = new InMemoryKernelLog { FailNextWrite = new KernelLogRecordLostException("record 12 never appeared") };
        using var factory = new AgentApplicationFactory(Environment.ProcessId, configureServices: s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        using var http = factory.CreateHttpClient();

        using var response = await http.PostAsync(
            new Uri("/inject-xid", UriKind.Relative),
            new StringContent("""{"xid_type": 79, "gpu_id": 0}""", System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Kernel log record lost", problem.GetProperty("title").GetString());
        Assert.Equal("KERNEL_LOG_RECORD_LOST", problem.GetProperty("reason").GetString());
        Assert.False(problem.TryGetProperty("dcgm_fields_taken_back", out _));
    }

    [RootFact]
    public async Task InjectXid_OutcomeUnknown_UnknownWithTheRecordedFaultAndARetryReplaysWithoutWriting()
    {
        var kernelLog = new InMemoryKernelLog
        {
            FailNextWrite = new KernelLogWriteIncompleteException("record 1 of 1 may or may not be in the kernel log: the ring overwrote it", [], 0, outcomeUnknown: true),
        };
        using var factory = new AgentApplicationFactory(Environment.ProcessId, configureServices: s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        var client = factory.CreateGrpcClient();
        var request = new InjectXidRequest { FaultId = "maybe", Xid = 79, GpuId = 0, IdempotencyKey = "key-maybe" };

        var first = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);
        var retry = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);

        foreach (var error in new[] { first, retry })
        {
            Assert.Equal(StatusCode.Unknown, error.StatusCode);
            var status = error.GetRpcStatus()!;
            var info = status.GetDetail<ErrorInfo>();
            Assert.Equal("INJECTION_OUTCOME_UNKNOWN", info.Reason);
            Assert.Equal("maybe", info.Metadata["fault_id"]);
            var fault = status.GetDetail<Fault>();
            Assert.Equal(FaultState.OutcomeUnknown, fault.State);
            Assert.Equal(InjectionWriteOutcome.Unknown, fault.WriteOutcome);
            Assert.Empty(fault.Records);
            Assert.NotEmpty(fault.UnconfirmedRecords);
            Assert.Contains("NOT 'nothing written'", error.Status.Detail, StringComparison.Ordinal);
        }

        Assert.Equal(1, kernelLog.WriteCalls);
        var listed = Assert.Single((await client.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, AgentApplicationFactory.Auth())).Faults);
        Assert.Equal(FaultState.OutcomeUnknown, listed.State);
        var cleared = await client.ClearFaultAsync(new ClearFaultRequest { FaultId = "maybe" }, AgentApplicationFactory.Auth());
        Assert.Equal(FaultState.Cleared, cleared.State);
        Assert.Equal(InjectionWriteOutcome.Unknown, cleared.WriteOutcome);
    }

    [RootFact]
    public async Task InjectXid_StoppedAfterTheFirstRecord_DataLossNamingTheRecordThatLanded()
    {
        var kernelLog = new InMemoryKernelLog();
        using var factory = new AgentApplicationFactory(Environment.ProcessId, configureServices: s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        var client = factory.CreateGrpcClient();
        var request = new InjectXidRequest { FaultId = "torn", Xid = 79, GpuId = 0, CompanionLines = true };
        var dryRun = request.Clone();
        dryRun.DryRun = true;
        var planned = (await client.InjectXidAsync(dryRun, AgentApplicationFactory.Auth())).Fault.Records;
        Assert.True(planned.Count > 1);
        var landed = kernelLog.Append(planned[0].Level, planned[0].Text);
        kernelLog.FailNextWrite = new KernelLogWriteIncompleteException("record 2 is not in the kernel log", [landed], 1, outcomeUnknown: false);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.DataLoss, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal("INJECTION_PARTIALLY_WRITTEN", status.GetDetail<ErrorInfo>().Reason);
        Assert.Equal("1", status.GetDetail<ErrorInfo>().Metadata["records_landed"]);
        var fault = status.GetDetail<Fault>();
        Assert.Equal(FaultState.PartiallyWritten, fault.State);
        Assert.Equal(landed.Sequence, Assert.Single(fault.Records).Sequence);
        Assert.Equal(planned.Skip(1).Select(r => r.Text), fault.UnconfirmedRecords.Select(r => r.Text));
    }

    [RootFact]
    public async Task InjectXidHttp_OutcomeUnknown_Problem500WithItsOwnTypeAndTheFault()
    {
        var kernelLog = new InMemoryKernelLog { FailNextWrite = new KernelLogWriteIncompleteException("unprovable", [], 0, outcomeUnknown: true) };
        using var factory = new AgentApplicationFactory(Environment.ProcessId, configureServices: s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        using var http = factory.CreateHttpClient();

        using var response = await http.PostAsync(
            new Uri("/inject-xid", UriKind.Relative),
            new StringContent("""{"fault_id": "maybe-http", "xid_type": 79, "gpu_id": 0}""", System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal("urn:faultinjection:problem:injection-outcome-unknown", problem.GetProperty("type").GetString());
        Assert.Equal("INJECTION_OUTCOME_UNKNOWN", problem.GetProperty("reason").GetString());
        Assert.Equal("outcome_unknown", problem.GetProperty("fault").GetProperty("state").GetString());
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}
