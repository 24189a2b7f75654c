using System.Net;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using FaultApi.Tests.Metrics;
using FaultInjection.Client;
using FaultInjection.Client.Suites;

namespace FaultApi.Tests.Suites;

/// <summary>
/// <c>fault_api_suite_last_result{suite,verdict}</c> and <c>fault_api_suite_last_success_timestamp_seconds{suite}</c> on
/// suites that really ran (the drills' cluster, a stand-in NVSentinel), read back from the kept records by an API that
/// did not run them (a restart, another replica), and valid for <c>promtool check metrics</c>. Runs beside the other
/// classes: the API's exporter takes only its own app's instruments (<see cref="ApiMetricsIsolationTests"/>). Until
/// 2026-12-05 OpenTelemetry's MeterProvider took every same-named meter of the process, so API hosts of other test
/// classes fed the same gauge streams and the class ran alone; once, in the fresh-clone CI of 48ad411, its scrape did not
/// show the failed verdict within 30 s (not reproduced), so the wait says what the scrape held.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class SuiteMetricsTests(DrillCluster cluster) : IClassFixture<DrillCluster>
{
    private readonly string _marker = $"suite-metrics-{Guid.NewGuid():N}"[..24];

    [RootFact]
    public async Task SuiteMetrics_PassedThenFailed_LastResultFailedLastSuccessThePassedOnesEnd_AlsoOnARestartedApi()
    {
        var name = $"canary-{Guid.NewGuid():N}"[..15];
        using var client = new FaultInjectionClient(cluster.Api.CreateClient(), ApiApplicationFactory.AliceToken);
        var healthy = await cluster.AddNodeAsync();
        var silent = await cluster.AddNodeAsync();
        Suite passed;
        await using (var monitor = StandInHealthMonitor.Start(cluster.KubeClient, healthy, _marker, MonitorActions.Cordon))
        {
            passed = await monitor.WatchingAsync(RunAsync(client, name, healthy, 60));
        }

        Assert.Equal(SuiteStates.Passed, passed.State);
        var failed = await RunAsync(client, name, silent, 2);
        Assert.Equal(SuiteStates.Failed, failed.State);

        // The API that ran them (the suite's end is taken when its runner returns, just after the record's last write).
        var text = "";
        await Eventually.TrueAsync(
            async () => PrometheusText.Parse(text = await ScrapeAsync(cluster.Client)).Any(m => m.Name == "fault_api_suite_last_result" && m.Labels.GetValueOrDefault("suite") == name && m.Labels.GetValueOrDefault("verdict") == "failed" && m.Value == 1),
            "the failed suite's result",
            () => $"{PrometheusText.Parse(text).Count(m => m.Name == "fault_api_suite_last_result")} fault_api_suite_last_result series; this suite's: {string.Join(" | ", text.Split('\n').Where(l => l.Contains(name, StringComparison.Ordinal) || l.Contains("overflow", StringComparison.Ordinal)))}");
        AssertResults(PrometheusText.Parse(text), name, passed);
        var (code, output) = await Promtool.RunAsync(text, "check", "metrics");
        Assert.True(code == 0 && output.Trim().Length == 0, $"promtool check metrics exited {code}:\n{output}");

        // An API started afterwards (a restart, another replica), as its own process, exports the same, from the kept records.
        await using var restarted = await cluster.StartApiProcessAsync();
        using var restartedClient = restarted.CreateClient(ApiApplicationFactory.AliceToken);
        await Eventually.TrueAsync(async () => (await ScrapeAsync(restartedClient)).Contains($"suite=\"{name}\"", StringComparison.Ordinal), "the restarted API's suite metrics");
        AssertResults(PrometheusText.Parse(await ScrapeAsync(restartedClient)), name, passed);
    }

    private static void AssertResults(IReadOnlyList<PrometheusSample> samples, string name, Suite passed)
    {
        Assert.Equal(1, samples.Value("fault_api_suite_last_result", ("suite", name), ("verdict", "failed")));
        Assert.Equal(0, samples.Value("fault_api_suite_last_result", ("suite", name), ("verdict", "passed")));
        Assert.Equal(0, samples.Value("fault_api_suite_last_result", ("suite", name), ("verdict", "cancelled")));
        Assert.Equal(passed.EndedAt!.Value.ToUnixTimeMilliseconds() / 1000.0, samples.Value("fault_api_suite_last_success_timestamp_seconds", ("suite", name)), 3);
    }

    private async Task<Suite> RunAsync(FaultInjectionClient client, string name, string node, double timeoutSeconds)
    {
        var started = await client.StartSuiteAsync(new SuiteRequest
        {
            Name = name,
            Drills = [new SuiteDrillRequest { NodeName = node, Xid = 79, Message = $"GPU has fallen off the bus. {_marker}", Expect = ["cordon"], TimeoutSeconds = timeoutSeconds }],
        });
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await client.WaitForSuiteAsync(started.SuiteId, wait.Token);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
