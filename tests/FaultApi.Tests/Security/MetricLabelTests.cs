using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FaultApi.Tests.Infrastructure;
using FaultApi.Tests.Metrics;

namespace FaultApi.Tests.Security;

/// <summary>
/// <c>/metrics</c> of the REAL agent and the REAL API processes: labels come only from validated values, so a caller
/// sending many distinct bad values (Xids, GPUs, NVSwitches, nodes, routes, methods) adds no series; histograms in
/// seconds have second-sized buckets; both scrapes pass <c>promtool check metrics</c> (Debian's prometheus package:
/// scripts/test.sh installs it, and the test does when it is missing).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class MetricLabelTests(AgentBehindRelayCluster cluster) : IClassFixture<AgentBehindRelayCluster>
{
    private static readonly string[] Sources = ["agent", "api"];

    [RootFact]
    public async Task Metrics_ManyDistinctBadValues_AddNoSeries()
    {
        using var api = cluster.ApiClient();
        using var agent = cluster.AgentClient();
        await SendBadValuesAsync(api, agent, from: 0, count: 3);
        await SeriesAsync(); // the scrapes' own request series (GET /metrics) exist from here on
        var before = await SeriesAsync();
        var counted = PrometheusText.Parse(await ScrapeAsync(cluster.Agent.HttpAddress));

        await SendBadValuesAsync(api, agent, from: 3, count: 60);
        var after = await SeriesAsync();

        foreach (var source in Sources)
        {
            var added = after[source].Except(before[source]).ToList();
            Assert.True(added.Count == 0, $"{source}: 60 more distinct bad values added {added.Count} series: {string.Join(" | ", added.Take(10))}");
        }

        // Every refusal is still counted, under the bounded labels.
        var now = PrometheusText.Parse(await ScrapeAsync(cluster.Agent.HttpAddress));
        double Added(params (string Key, string Value)[] labels) =>
            now.Value("fault_agent_injections_total", [("result", "refused"), .. labels]) - counted.Value("fault_agent_injections_total", [("result", "refused"), .. labels]);
        // Xids above 999 and SXids above 99999 never reach the agent through the API (its edge refuses them: 400), so the
        // agent counts the invalid Xids sent to its own route only.
        Assert.Equal(60, Added(("kind", "xid"), ("code", "invalid"), ("gpu", "unknown")));
        Assert.Equal(60, Added(("kind", "xid"), ("code", "79"), ("gpu", "unknown")));
        Assert.Equal(0, Added(("kind", "sxid"), ("code", "invalid"), ("gpu", "unknown")));
        Assert.Equal(60, Added(("kind", "sxid"), ("code", "12028"), ("gpu", "unknown")));
    }

    [RootFact]
    public async Task Metrics_SecondsHistograms_HaveSecondSizedBuckets()
    {
        using var api = cluster.ApiClient();
        var injected = await api.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = AgentBehindRelayCluster.NodeName, gpu_id = 1, message = $"buckets {Guid.NewGuid():N}" });
        Assert.True(injected.StatusCode == HttpStatusCode.OK, await injected.Content.ReadAsStringAsync());

        var agent = PrometheusText.Parse(await ScrapeAsync(cluster.Agent.HttpAddress));
        var apiSamples = PrometheusText.Parse(await ScrapeAsync(cluster.Api.Address));

        double[] writeBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, double.PositiveInfinity];
        double[] callBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, double.PositiveInfinity];
        Assert.Equal(writeBounds, Bounds(agent, "fault_agent_kernel_log_write_duration_seconds_bucket", ("result", "verified")));
        Assert.Equal(callBounds, Bounds(apiSamples, "fault_api_agent_call_duration_seconds_bucket", ("operation", "InjectXid"), ("result", "OK")));
        Assert.Equal(
            agent.Value("fault_agent_kernel_log_write_duration_seconds_count", ("result", "verified")),
            agent.Value("fault_agent_kernel_log_write_duration_seconds_bucket", ("result", "verified"), ("le", "+Inf")));
    }

    [RootFact]
    public async Task Metrics_BothScrapes_PassPromtoolCheckMetrics()
    {
        using var api = cluster.ApiClient();
        using var agent = cluster.AgentClient();
        await SendBadValuesAsync(api, agent, from: 1000, count: 1);

        foreach (var address in new[] { cluster.Agent.HttpAddress, cluster.Api.Address })
        {
            var text = await ScrapeAsync(address);
            var (exitCode, output) = await PromtoolAsync(text);
            Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool check metrics on {address}/metrics exited {exitCode}:\n{output}");
        }
    }

    /// <summary>Every kind of bad value a caller controls, <paramref name="count"/> distinct ones of each.</summary>
    private static async Task SendBadValuesAsync(HttpClient api, HttpClient agent, int from, int count)
    {
        const string Node = AgentBehindRelayCluster.NodeName;
        for (var i = from; i < from + count; i++)
        {
            var n = AgentBehindRelayCluster.Number(i);
            await ExpectAsync(api.PostAsJsonAsync($"/api/v1/faults/gpu/inject/xid-{1000 + i}", new { node_name = Node, gpu_id = 0 }), HttpStatusCode.BadRequest);
            // Distinct GPUs and NVSwitches within what the driver numbers (the API's edge refuses the others) but not on the node.
            await ExpectAsync(api.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = Node, gpu_id = 100 + (i % 148) }), HttpStatusCode.NotFound);
            await ExpectAsync(api.PostAsJsonAsync($"/api/v1/faults/gpu/inject/sxid-{100000 + i}", new { node_name = Node, nvswitch = 0, link = 0 }), HttpStatusCode.BadRequest);
            await ExpectAsync(api.PostAsJsonAsync("/api/v1/faults/gpu/inject/sxid-12028", new { node_name = Node, nvswitch = 4 + (i % 60), link = 0 }), HttpStatusCode.NotFound);
            await ExpectAsync(api.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = $"no-such-node-{n}", gpu_id = 0 }), HttpStatusCode.NotFound);
            await ExpectAsync(api.GetAsync(new Uri($"/api/v1/no-such-route-{n}", UriKind.Relative)), HttpStatusCode.NotFound);
            await ExpectAsync(api.SendAsync(new HttpRequestMessage(new HttpMethod($"BREW{n}"), "/api/v1/faults")), HttpStatusCode.MethodNotAllowed);
            await ExpectAsync(agent.PostAsJsonAsync("/inject-xid", new { xid_type = 2000 + i, gpu_id = 0 }), HttpStatusCode.BadRequest);
            await ExpectAsync(agent.GetAsync(new Uri($"/no-such-route-{n}", UriKind.Relative)), HttpStatusCode.NotFound);
        }
    }

    private static async Task ExpectAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<Dictionary<string, HashSet<string>>> SeriesAsync() => new()
    {
        ["agent"] = Series(await ScrapeAsync(cluster.Agent.HttpAddress)),
        ["api"] = Series(await ScrapeAsync(cluster.Api.Address)),
    };

    /// <summary>Every series (name and labels, without the value) of a scrape.</summary>
    private static HashSet<string> Series(string text) =>
        [.. PrometheusText.Parse(text).Select(s => s.Name + "{" + string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}")];

    private static double[] Bounds(IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        [.. samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Select(s => s.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(s.Labels["le"], CultureInfo.InvariantCulture))
            .Order()];

    private static async Task<string> ScrapeAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<(int ExitCode, string Output)> PromtoolAsync(string metrics) => Promtool.RunAsync(metrics, "check", "metrics");
}
