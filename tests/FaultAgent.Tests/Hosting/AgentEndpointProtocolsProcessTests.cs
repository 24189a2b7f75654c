using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// Each endpoint of the real agent process serves only what it is for: the HTTP routes are not answered over HTTP/2 on
/// the gRPC port (with a valid token: 404, nothing written), and the gRPC methods are not answered on the HTTP/1.1 port;
/// gRPC on the gRPC port and the HTTP routes on the HTTP port are untouched.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentEndpointProtocolsProcessTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
    }

    [RootTheory]
    [InlineData("POST", "/inject-xid")]
    [InlineData("GET", "/faults")]
    [InlineData("GET", "/faults/endpoint-probe-1")]
    [InlineData("DELETE", "/faults/endpoint-probe-1")]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/metrics")]
    public async Task HttpRoute_OverHttp2OnTheGrpcPort_Is404AndWritesNothing(string method, string path)
    {
        await using var agent = await AgentProcess.StartAsync(Settings());
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var grpc = new AgentClient(channel);
        await grpc.InjectXidAsync(new InjectXidRequest { FaultId = "endpoint-probe-1", Xid = 79, GpuId = 0, Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) }, AgentApplicationFactory.Auth());
        using var http2 = new HttpClient { BaseAddress = agent.GrpcAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            // Prior-knowledge HTTP/2 without TLS, as a gRPC client speaks to this port.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AgentApplicationFactory.ApiToken);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"fault_id": "endpoint-probe-2", "xid_type": 79, "gpu_id": 0, "duration": 300}""", Encoding.UTF8, "application/json");
        }

        using var response = await http2.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} over HTTP/2 on the gRPC port: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(new Version(2, 0), response.Version);
        var faults = await grpc.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth());
        var only = Assert.Single(faults.Faults);
        Assert.Equal("endpoint-probe-1", only.FaultId);
        Assert.Equal(FaultState.Active, only.State);
    }

    [RootFact]
    public async Task GrpcMethod_OverHttp11OnTheHttpPort_Is404_TheRightPortsStillServe()
    {
        await using var agent = await AgentProcess.StartAsync(Settings());
        using var http = new HttpClient { BaseAddress = agent.HttpAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/faultinjection.agent.v1.FaultAgent/ListFaults", UriKind.Relative))
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AgentApplicationFactory.ApiToken);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

        using var response = await http.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"ListFaults over HTTP/1.1 on the HTTP port: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        Assert.Empty((await new AgentClient(channel).ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentApplicationFactory.ApiToken);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/faults", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    private Dictionary<string, string> Settings()
    {
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:ProcRoot"] = TestProcRoot.Create(_directory.Path),
            ["Agent:TargetPid"] = _target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
        };
    }
}
