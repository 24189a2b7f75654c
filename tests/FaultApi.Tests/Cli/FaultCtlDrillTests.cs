using System.Text.RegularExpressions;
using FaultApi.Tests.Drills;
using FaultApi.Tests.Infrastructure;
using FaultCtl.Drills;
using FaultCtl.Hosting;
using FaultInjection.Client;
using FaultInjection.Client.Drills;

namespace FaultApi.Tests.Cli;

/// <summary>
/// <c>faultctl drill run --follow</c> against drills that really run: the command tree of the tool (FaultCtlApplication,
/// as Program.cs runs it) talking to the real API in Kubernetes routing mode (the drill tests' <see cref="DrillCluster"/>:
/// fake Kubernetes API server, real agent writing the real /dev/kmsg) with the stand-in NVSentinel reacting to the line.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed partial class FaultCtlDrillTests(DrillCluster cluster) : IClassFixture<DrillCluster>, IDisposable
{
    private readonly string _marker = $"faultctl-drill-{Guid.NewGuid():N}"[..26];
    private readonly FaultInjectionClient _client = new(cluster.Api.CreateClient(), ApiApplicationFactory.AliceToken);

    public void Dispose() => _client.Dispose();

    [RootFact]
    public async Task DrillRunFollow_MonitorReacts_PrintsEachStepWithItsTimesAndExitsZero()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Condition | MonitorActions.Cordon);

        var (code, output, error) = await monitor.WatchingAsync(RunAsync(
            ["drill", "run", "--node", node, "--xid", "79", "--expect", "condition:SysLogsXIDError,cordon", "--timeout", "60s", "--message", $"GPU has fallen off the bus. {_marker}", "--follow"]));

        Assert.True(code == ExitCodes.Success, $"exit {code}\n{output}\n{error}\n{monitor.Account()}");
        Assert.Equal("", error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($"^drill [0-9a-f]+ on {node}: xid 79 on gpu 0, expecting condition:SysLogsXIDError, cordon \\(timeout 60 s\\)$", lines[0]);
        var steps = lines[1..^1].Select(line => StepLine().Match(line)).ToList();
        Assert.All(steps, s => Assert.True(s.Success, "a step line: +<since injection>s  (+<since the step before>s)  <step>  <evidence>"));
        Assert.Equal(["injected", "condition:SysLogsXIDError", "cordon"], steps.Select(s => s.Groups["step"].Value));
        var drill = Assert.Single((await _client.ListDrillsAsync(node)).Drills);
        Assert.Equal(DrillStates.Passed, drill.State);
        for (var i = 0; i < steps.Count; i++)
        {
            // Each line shows the step's own time since the injection, and the time since the step before.
            Assert.Equal(drill.Steps[i].SecondsSinceInjection.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), steps[i].Groups["since"].Value);
            var delta = drill.Steps[i].SecondsSinceInjection - (i == 0 ? 0 : drill.Steps[i - 1].SecondsSinceInjection);
            Assert.Equal(delta.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), steps[i].Groups["delta"].Value);
        }

        Assert.Contains("reason=SysLogsXIDErrorIsNotHealthy", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("passed: every expectation observed, the last ", lines[^1], StringComparison.Ordinal);
    }

    [RootFact]
    public async Task DrillRunFollow_ExpectationNeverMet_ExitsOneNamingWhatWasMissing()
    {
        var node = await cluster.AddNodeAsync();

        var (code, output, error) = await RunAsync(
            ["drill", "run", "--node", node, "--xid", "48", "--expect", "cordon", "--expect", "taint:trainy.konduktor.ai/faulty", "--timeout", "2s", "--message", _marker, "--follow"]);

        Assert.True(code == ExitCodes.Failed, $"exit {code}\n{output}\n{error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("injected", StepLine().Match(lines[1]).Groups["step"].Value);
        Assert.Equal("failed: Timed out after 2 s; never observed: cordon, taint:trainy.konduktor.ai/faulty. (missing: cordon, taint:trainy.konduktor.ai/faulty)", lines[^1]);
    }

    [RootFact]
    public async Task DrillRunFollow_JsonOutput_PrintsOneEventALineThenTheFinishedDrill()
    {
        var node = await cluster.AddNodeAsync();
        await using var monitor = StandInHealthMonitor.Start(cluster.KubeClient, node, _marker, MonitorActions.Cordon);

        var (code, output, error) = await monitor.WatchingAsync(RunAsync(
            ["drill", "run", "--node", node, "--xid", "79", "--expect", "cordon", "--timeout", "60s", "--message", $"GPU has fallen off the bus. {_marker}", "--follow", "--output", "json"]));

        Assert.True(code == ExitCodes.Success, $"exit {code}\n{output}\n{error}\n{monitor.Account()}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["step", "step"], lines[..^1].Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(["injected", "cordon"], lines[..^1].Select(e => e.GetProperty("step").GetProperty("step").GetString()));
        Assert.Equal(("passed", node), (lines[^1].GetProperty("state").GetString(), lines[^1].GetProperty("node_name").GetString()));
    }

    [RootFact]
    public async Task DrillRunFollow_Interrupted_CancelsTheDrillOnTheServerAndExits130()
    {
        var node = await cluster.AddNodeAsync();
        using var interrupt = new CancellationTokenSource();
        var output = new SignallingWriter("+");

        var run = RunAsync(["drill", "run", "--node", node, "--xid", "79", "--expect", "cordon", "--timeout", "5m", "--message", _marker, "--follow"], output, interrupt.Token);
        await output.Seen.Task.WaitAsync(TimeSpan.FromSeconds(60)); // the injected step is on screen: the drill runs
        await interrupt.CancelAsync();
        var (code, _, error) = await run;

        Assert.Equal(ExitCodes.Interrupted, code);
        var drill = Assert.Single((await _client.ListDrillsAsync(node)).Drills);
        Assert.Equal(DrillStates.Cancelled, drill.State);
        Assert.Contains(DrillCommand.InterruptedReason, drill.Reason, StringComparison.Ordinal);
        Assert.Equal([$"drill {drill.DrillId} cancelled on the server", "faultctl: interrupted"], error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex(@"^  \+ *(?<since>[0-9]+\.[0-9])s  \(\+ *(?<delta>-?[0-9]+\.[0-9])s\)  (?<step>\S+)")]
    private static partial Regex StepLine();

    private Task<(int Code, string Output, string Error)> RunAsync(string[] args) => RunAsync(args, new SignallingWriter(null), CancellationToken.None);

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args, SignallingWriter output, CancellationToken cancellationToken)
    {
        using var error = new StringWriter();
        var code = await FaultCtlApplication.RunAsync(args, _ => new FaultInjectionClient(cluster.Api.CreateClient(), ApiApplicationFactory.AliceToken), output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
