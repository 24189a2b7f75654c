using FaultInjection.Generated;
using FaultInjection.Generated.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace KiotaClientTests;

/// <summary>
/// The C# client Kiota generated from the document the running API served (scripts/client-tests.sh), used as a
/// generated client is: the bearer scheme from FAULT_INJECTION_TOKEN, calls against the local run (FAULT_INJECTION_API,
/// real agents), answers and problems as the document's types.
/// </summary>
public sealed class GeneratedClientTests : IDisposable
{
    private const string Node = "gpu-node-001";
    private readonly HttpClientRequestAdapter _adapter;
    private readonly FaultApiClient _client;

    public GeneratedClientTests()
    {
        var api = new Uri(Environment.GetEnvironmentVariable("FAULT_INJECTION_API") ?? throw new InvalidOperationException("FAULT_INJECTION_API is not set"));
        var token = Environment.GetEnvironmentVariable("FAULT_INJECTION_TOKEN") ?? throw new InvalidOperationException("FAULT_INJECTION_TOKEN is not set");
        _adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(token, api.Host)))
        {
            BaseUrl = api.ToString().TrimEnd('/'),
        };
        _client = new FaultApiClient(_adapter);
    }

    public void Dispose() => _adapter.Dispose();

    [Fact]
    public async Task InjectXid_ThroughTheGeneratedClient_AnswersTheFaultIdAndClearsIt()
    {
        var marker = $"kiota-{Guid.NewGuid():N}"[..22];

        var answer = await _client.Api.V1.Faults.Gpu.Inject.XidWithXid("79").PostAsync(new InjectXidBody
        {
            NodeName = Node,
            GpuId = 6,
            Message = $"GPU has fallen off the bus. {marker}",
            Duration = 600,
        });

        var fault = answer?.FaultResource;
        Assert.NotNull(fault);
        Assert.False(string.IsNullOrEmpty(fault.FaultId));
        Assert.Equal("injected", fault.Status);
        Assert.Equal(Node, fault.NodeName);
        Assert.Contains($"79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. {marker}", fault.Line, StringComparison.Ordinal);
        Assert.NotEmpty(fault.Records!);

        var read = await _client.Api.V1.Faults[fault.FaultId].GetAsync(c => c.QueryParameters.Node = Node);
        Assert.Equal("active", read?.State);
        var cleared = await _client.Api.V1.Faults[fault.FaultId].DeleteAsync(c => c.QueryParameters.Node = Node);
        Assert.Equal(fault.FaultId, cleared?.FaultId);
        Assert.Equal("cleared", cleared?.State);
    }

    [Fact]
    public async Task InjectXid_NodeSelectorDryRun_AnswersEveryNodesFaultAsTheOtherShape()
    {
        var answer = await _client.Api.V1.Faults.Gpu.Inject.XidWithXid("48").PostAsync(new InjectXidBody
        {
            NodeSelector = "pool=a",
            Count = 2,
            DryRun = true,
        });

        // anyOf is an intersection to Kiota: each member reads the fields it has ("status", in both, lands in the first).
        var multi = answer?.MultiInjectionResource;
        Assert.NotNull(multi);
        Assert.Equal("pool=a", multi.NodeSelector);
        Assert.Equal(2, multi.Count);
        Assert.Equal(2, multi.Faults!.Select(f => f.NodeName).Distinct().Count());
        Assert.All(multi.Faults!, f => Assert.Equal("dry_run", f.Status));
    }

    [Fact]
    public async Task InjectSxid_BadLink_ThrowsTheValidationProblemNamingTheField()
    {
        var problem = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => _client.Api.V1.Faults.Gpu.Inject.SxidWithSxid("12028").PostAsync(new InjectSxidBody
        {
            NodeName = Node,
            Nvswitch = 0,
            Link = 100,
        }));

        Assert.Equal(400, problem.ResponseStatusCode);
        Assert.Equal(400, problem.Status);
        Assert.Contains("link", problem.Errors!.AdditionalData.Keys);
    }

    [Fact]
    public async Task ListFaults_WithoutAToken_ThrowsTheUnauthorizedProblem()
    {
        using var anonymous = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider()) { BaseUrl = _adapter.BaseUrl };

        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => new FaultApiClient(anonymous).Api.V1.Faults.GetAsync());

        Assert.Equal(401, problem.ResponseStatusCode);
    }
}
