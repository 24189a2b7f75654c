using System.Globalization;
using System.Text.RegularExpressions;
using FaultApi.Tests.Deploy;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using FaultApi.Tests.Suites;
using FaultCtl.Hosting;
using FaultCtl.Suites;
using FaultInjection.Client;
using FaultInjection.Client.Suites;

namespace FaultApi.Tests.Cli;

/// <summary>
/// <c>faultctl suite run</c> on the shipped example, unchanged (examples/suites/nvsentinel-smoke.yaml), against suites
/// that really run: the tool's command tree (FaultCtlApplication, as Program.cs runs it) and the real API in Kubernetes
/// routing mode on the drills' cluster (fake Kubernetes API server, real agent writing the real /dev/kmsg), three GPU
/// nodes labelled as the example's pool, and a stand-in NVSentinel reacting on every node of the pool.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed partial class FaultCtlSuiteTests(DrillCluster cluster) : IClassFixture<DrillCluster>, IDisposable
{
    private static readonly Dictionary<string, string> Pool = new() { ["fault-injection/smoke-pool"] = "nvsentinel" };
    private static readonly string Example = Path.Combine(RepositoryRoot.Path, "examples", "suites", "nvsentinel-smoke.yaml");
    private readonly TestDirectory _directory = new();
    private readonly FaultInjectionClient _client = new(cluster.Api.CreateClient(), ApiApplicationFactory.AliceToken);

    public void Dispose()
    {
        _client.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task SuiteRun_ExampleOneNodeNeverReboots_ExitsOneWithOneFailingTestcaseNamingItAndPerStepPercentiles()
    {
        var nodes = await PoolAsync();
        var broken = nodes[1];
        // NVSentinel's reactions (condition, cordon, drain, a reboot for RESTART_BM Xid 79, then the node recovered),
        // except that on one node the reboot never comes.
        await using var monitor = StandInPoolMonitor.Start(cluster.KubeClient, _client, (xid, node) =>
            MonitorActions.Condition | MonitorActions.Cordon | MonitorActions.Drain | MonitorActions.Recover
            | (xid == 79 && node != broken ? MonitorActions.Reboot : MonitorActions.None));
        var junit = Path.Combine(Directory.CreateDirectory(_directory.Combine("reports")).FullName, "out.xml");

        var (code, output, error) = await monitor.WatchingAsync(RunAsync(["suite", "run", "-f", Example, "--junit", junit, "--drill-timeout", "20s", "--follow"]));

        Assert.True(code == ExitCodes.Failed, $"exit {code}\n{output}\n{error}\n{monitor.Account()}");
        Assert.Equal("", error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^suite [0-9a-f]+ 'nvsentinel-smoke': 9 drills on 3 nodes, 3 at a time$", lines[0]);

        // Live: every drill's start and end with the time since the suite started, an ended drill with its steps' times.
        var progress = lines.Select(l => ProgressLine().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(9, progress.Count(m => m.Groups["what"].Value == "started"));
        var ended = progress.Where(m => m.Groups["what"].Value is "passed" or "failed").ToList();
        Assert.True((8, 1) == (ended.Count(m => m.Groups["what"].Value == "passed"), ended.Count(m => m.Groups["what"].Value == "failed")), $"{output}\nmonitor: {string.Join("; ", monitor.Reactions)}\n{monitor.Account()}");
        // Each step with its time since the injection, in the order observed (a drain on a node already drained is
        // met at once); recover, which needs every other step, last.
        Assert.All(ended.Where(m => m.Groups["what"].Value == "passed"), m => Assert.Matches(@": injected \+0\.0 s(, (condition:SysLogsXIDError|cordon|drain|reboot) \+[0-9]+\.[0-9] s){3,4}, recover \+[0-9]+\.[0-9] s$", m.Value));
        Assert.Equal(3, ended.Count(m => m.Value.Contains(", reboot +", StringComparison.Ordinal)) + 1);
        var failedLine = Assert.Single(ended, m => m.Groups["what"].Value == "failed").Value;
        Assert.Contains($"xid-79 fallen off the bus, RESTART_BM on {broken}: injected +0.0 s", failedLine, StringComparison.Ordinal);
        Assert.EndsWith("never observed: reboot, recover", failedLine, StringComparison.Ordinal);
        var times = progress.Select(m => double.Parse(m.Groups["elapsed"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);

        // The verdict: the suite's summary per expectation with its percentiles, as the API computed it.
        var suite = Assert.Single((await _client.ListSuitesAsync()).Suites, s => s.Name == "nvsentinel-smoke");
        Assert.Equal(SuiteStates.Failed, suite.State);
        Assert.Equal(3, suite.Drills.Select(d => d.NodeName).Distinct().Count());
        foreach (var expectation in suite.Summary)
        {
            Assert.Contains($"  {expectation.Text}", lines);
        }

        Assert.Contains("  reboot: 2/3, p50 ", output, StringComparison.Ordinal);
        Assert.Contains("  cordon: 9/9, p50 ", output, StringComparison.Ordinal);
        Assert.Matches(@"^  drain: 9/9, p50 [0-9]+\.[0-9] s, p95 [0-9]+\.[0-9] s, max [0-9]+\.[0-9] s$", lines.Single(l => l.StartsWith("  drain: ", StringComparison.Ordinal)));
        Assert.StartsWith("failed: 8/9 drills passed; ", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith($"(JUnit report: {junit})", lines[^1], StringComparison.Ordinal);

        // The JUnit file: nine testcases, exactly one failing, naming the drill and the expectation never observed.
        var report = SuiteReportTests.ValidJUnit(await File.ReadAllTextAsync(junit)).Root!;
        Assert.Equal(("nvsentinel-smoke", "9", "1", "0"), ((string)report.Attribute("name")!, (string)report.Attribute("tests")!, (string)report.Attribute("failures")!, (string)report.Attribute("errors")!));
        var failing = Assert.Single(report.Elements("testcase"), c => c.Element("failure") is not null);
        Assert.Equal($"xid-79 fallen off the bus, RESTART_BM on {broken}", (string)failing.Attribute("name")!);
        Assert.StartsWith("never observed: reboot, recover; last state seen: ", (string)failing.Element("failure")!.Attribute("message")!, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(junit)!));
    }

    [RootFact]
    public async Task SuiteRun_JsonFileInterrupted_CancelsTheSuiteOnTheServerWritesItsReportAndExits130()
    {
        var node = await cluster.AddNodeAsync();
        var file = _directory.Combine("suite.json");
        await File.WriteAllTextAsync(file, $$"""
            {"name": "interrupted", "drills": [
              {"name": "first", "node_name": "{{node}}", "xid": 79, "expect": ["cordon"], "timeout_seconds": 300},
              {"name": "second", "node_name": "{{node}}", "xid": 48, "expect": ["cordon"], "timeout_seconds": 300}]}
            """);
        using var interrupt = new CancellationTokenSource();
        var output = new SignallingWriter("started ");
        var junit = _directory.Combine("interrupted.xml");

        var run = RunAsync(["suite", "run", "-f", file, "--junit", junit, "--follow"], output, interrupt.Token);
        await output.Seen.Task.WaitAsync(TimeSpan.FromSeconds(60)); // the first drill started: the suite runs
        await interrupt.CancelAsync();
        var (code, _, error) = await run;

        Assert.Equal(ExitCodes.Interrupted, code);
        var suite = Assert.Single((await _client.ListSuitesAsync()).Suites, s => s.Name == "interrupted");
        Assert.Equal(SuiteStates.Cancelled, suite.State);
        Assert.Contains(SuiteCommand.InterruptedReason, suite.Reason, StringComparison.Ordinal);
        Assert.Equal([$"suite {suite.SuiteId} cancelled on the server", "faultctl: interrupted"], error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var report = SuiteReportTests.ValidJUnit(await File.ReadAllTextAsync(junit)).Root!;
        Assert.Equal(("interrupted", "2"), ((string)report.Attribute("name")!, (string)report.Attribute("tests")!));
    }

    [GeneratedRegex(@"^  \+ *(?<elapsed>[0-9]+\.[0-9])s  (?<what>started|passed|failed|cancelled|error|skipped) +#[0-9]+ .*$")]
    private static partial Regex ProgressLine();

    private async Task<string[]> PoolAsync()
    {
        var nodes = new string[3];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = await cluster.AddNodeAsync(labels: Pool);
        }

        return nodes;
    }

    private Task<(int Code, string Output, string Error)> RunAsync(string[] args) => RunAsync(args, new SignallingWriter(null), CancellationToken.None);

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args, SignallingWriter output, CancellationToken cancellationToken)
    {
        using var error = new StringWriter();
        var code = await FaultCtlApplication.RunAsync(args, _ => new FaultInjectionClient(cluster.Api.CreateClient(), ApiApplicationFactory.AliceToken), output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
