using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using FaultInjection.TestSupport.Http;

namespace FaultAgent.Tests.Http;

/// <summary>
/// The real agent process (real Kestrel) refuses a request body over 64 KiB before reading it: HTTP 413 problem details
/// whether the size is announced (Content-Length) or not (chunked), gRPC RESOURCE_EXHAUSTED for a message over 64 KiB.
/// Nothing is written or recorded, and a request of ordinary size still works after them.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class RequestSizeLimitTests : IAsyncLifetime, IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "big" + Guid.NewGuid().ToString("N")[..10];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start(); // before the agent writes: dmesg afterwards may have lost its records to other writers
    private AgentProcess _agent = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        _agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-big",
            ["Agent:ProcRoot"] = TestProcRoot.Create(_directory.Path),
            ["Agent:TargetPid"] = _target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
        });
    }

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
        _kernelLog.Dispose();
    }

    [RootTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InjectXidHttp_BodyOver64KiB_413ProblemAndNothingWritten(bool chunked)
    {
        using var http = new HttpClient { BaseAddress = _agent.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentApplicationFactory.ApiToken);
        var body = $$"""{"xid_type": 79, "gpu_id": 0, "process_name": "{{_marker}}", "pid": 4242, "message": "{{new string('a', 65 * 1024)}}"}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/inject-xid") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await http.SendAsync(request);

        var problem = await ProblemResponse.ReadAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The request body must be at most 65536 bytes (64 KiB).", problem.GetProperty("detail").GetString());
        await AssertNothingWrittenThenAnOrdinaryRequestWorksAsync();
    }

    [RootFact]
    public async Task InjectXid_MessageOver64KiB_ResourceExhaustedAndNothingWritten()
    {
        using var channel = GrpcChannel.ForAddress(_agent.GrpcAddress);
        var client = new AgentClient(channel);
        var request = new InjectXidRequest { FaultId = "big", Xid = 79, GpuId = 0, ProcessName = _marker, Pid = 4242, Message = new string('a', 65 * 1024) };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.InjectXidAsync(request, AgentApplicationFactory.Auth()).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await AssertNothingWrittenThenAnOrdinaryRequestWorksAsync();
    }

    private async Task AssertNothingWrittenThenAnOrdinaryRequestWorksAsync()
    {
        using var channel = GrpcChannel.ForAddress(_agent.GrpcAddress);
        var client = new AgentClient(channel);
        Assert.Equal(0, (await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).TotalSize);
        Assert.Empty(_kernelLog.SnapshotContaining(_marker));

        var ordinary = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, ProcessName = _marker, Pid = 4242, DryRun = true }, AgentApplicationFactory.Auth());
        Assert.NotEmpty(ordinary.Fault.Records);
    }
}
