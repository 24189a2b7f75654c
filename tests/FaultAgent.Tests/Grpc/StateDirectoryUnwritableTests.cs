using System.Net;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using FaultInjection.TestSupport.Http;
using Google.Rpc;
using Grpc.Core;

namespace FaultAgent.Tests.Grpc;

/// <summary>
/// An agent whose state directory cannot be written refuses an injection UNAVAILABLE with ErrorInfo
/// <c>STATE_DIRECTORY_UNWRITABLE</c> (HTTP 503 with that <c>reason</c>) before anything reaches the kernel log: the fault
/// journal must take the injection's pending entry first. The state directory and its journal are made immutable
/// (<see cref="ImmutableStateDirectory"/>: every write fails, even root's, as on a failing disk); the kernel log is the test-only
/// in-memory one, which counts its writes.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class StateDirectoryUnwritableTests
{
    [RootFact]
    public async Task InjectXid_StateDirectoryImmutable_UnavailableStateDirectoryUnwritable_NothingWritten()
    {
        var kernelLog = new InMemoryKernelLog();
        using var factory = new AgentApplicationFactory(Environment.ProcessId, configureServices: s => FakeAgentParts.UseInMemoryKernelLog(s, kernelLog));
        var client = factory.CreateGrpcClient();
        using var http = factory.CreateHttpClient();

        RpcException error;
        HttpResponseMessage response;
        using (new ImmutableStateDirectory(factory.TestDirectory.Combine("state")))
        {
            error = await Assert.ThrowsAsync<RpcException>(
                () => client.InjectXidAsync(new InjectXidRequest { FaultId = "x", Xid = 79, GpuId = 0 }, AgentApplicationFactory.Auth()).ResponseAsync);
            response = await http.PostAsync(
                new Uri("/inject-xid", UriKind.Relative),
                new StringContent("""{"xid_type": 79, "gpu_id": 0}""", System.Text.Encoding.UTF8, "application/json"));
        }

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("STATE_DIRECTORY_UNWRITABLE", info.Reason);
        Assert.Equal("faultinjection.agent.v1", info.Domain);
        Assert.Empty(info.Metadata);
        Assert.Contains("faults.journal", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Nothing was injected.", error.Status.Detail, StringComparison.Ordinal);

        using (response)
        {
            var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("State directory unavailable", problem.GetProperty("title").GetString());
            Assert.Equal("STATE_DIRECTORY_UNWRITABLE", problem.GetProperty("reason").GetString());
        }

        Assert.Equal(0, kernelLog.WriteCalls);
        Assert.Empty((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
    }
}
