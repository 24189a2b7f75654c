using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Routing;

/// <summary>Before the routing cache's first sync (the Kubernetes API does not answer) the API is live but not ready.</summary>
public sealed class NotReadyTests : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly ApiApplicationFactory _api;

    public NotReadyTests()
    {
        var nowhere = LoopbackAddresses.Allocate(1)[0];
        var port = LoopbackAddresses.FreePort(nowhere);
        var kubeconfig = _directory.Combine("kubeconfig");
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: gone
              cluster:
                server: http://{nowhere}:{port}
            contexts:
            - name: gone
              context:
                cluster: gone
                user: gone
            current-context: gone
            users:
            - name: gone
              user:
                token: t
            """);
        _api = new ApiApplicationFactory(new Dictionary<string, string?> { ["Routing:Kubeconfig"] = kubeconfig });
    }

    public void Dispose()
    {
        _api.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task BeforeFirstSync_ReadyIs503_HealthIs200_InjectIs503()
    {
        using var client = _api.CreateAuthenticatedClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/ready")).StatusCode);
        var inject = await client.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = "gpu-node-001" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, inject.StatusCode);
        Assert.Equal("Routing not ready", (await inject.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
