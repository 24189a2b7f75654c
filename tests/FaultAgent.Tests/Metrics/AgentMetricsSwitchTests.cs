using System.Net;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Metrics;

/// <summary>
/// <c>Agent:Metrics:Enabled=false</c> (what benchmarks/AgentFarm gives every app but the first) leaves the exporter out:
/// no listener, and <c>/metrics</c> answers 404 (anonymous, like the route); by default the route is there, anonymous, as Prometheus text 0.0.4.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentMetricsSwitchTests
{
    [RootFact]
    public async Task Metrics_Disabled_NoRoute()
    {
        using var target = new TargetNamespaceProcess();
        await using var factory = new AgentApplicationFactory(target.Pid, new() { ["Agent:Metrics:Enabled"] = "false" });
        using var client = factory.CreateHttpClient(token: null);

        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [RootFact]
    public async Task Metrics_ByDefault_ServedWithoutATokenAsPrometheusText()
    {
        using var target = new TargetNamespaceProcess();
        await using var factory = new AgentApplicationFactory(target.Pid);
        using var client = factory.CreateHttpClient(token: null);

        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Contains("target_info{", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
