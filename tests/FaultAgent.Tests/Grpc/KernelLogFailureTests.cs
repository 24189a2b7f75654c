using System.Diagnostics;
using System.Net;
using FaultAgent.Injection;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// Kernel-log failures reach callers as FAILED_PRECONDITION / UNAVAILABLE (HTTP 503) and record nothing. The
/// unavailable case is real (the target process is gone, so its mount namespace cannot be entered); a record the kernel
/// drops cannot be provoked on demand, so that case uses the test-only in-memory kernel log.
/// </summary>
public sealed class KernelLogFailureTests
{
    [Fact]
    public async Task InjectXid_TargetProcessGone_FailedPreconditionAndNothingRecorded()
    {
        using var factory = new AgentApplicationFactory(await ExitedProcessIdAsync());
        var client = factory.CreateGrpcClient();

        var error = await Assert.ThrowsAsync<RpcException>(
            () => client.InjectXidAsync(new InjectXidRequest { FaultId = "x", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    [Fact]
    public async Task InjectXidHttp_TargetProcessGone_Problem503()
    {
        using var factory = new AgentApplicationFactory(await ExitedProcessIdAsync());
        using var http = factory.CreateHttpClient();

        using var response = await http.PostAsync(
            new Uri("/inject-xid", UriKind.Relative),
            new StringContent("""{"xid_type": 79, "gpu_id": 0}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InjectXid_RecordLost_UnavailableAndNothingRecorded()
    {
        var kernelLog = new InMemoryKernelLog { FailNextWrite = new KernelLogRecordLostException("record 12 never appeared") };
        using var factory = new AgentApplicationFactory(Environment.ProcessId, configureServices: s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        var client = factory.CreateGrpcClient();

        var error = await Assert.ThrowsAsync<RpcException>(
            () => client.InjectXidAsync(new InjectXidRequest { FaultId = "x", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}
