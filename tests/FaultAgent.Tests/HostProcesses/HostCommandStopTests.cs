using System.Globalization;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace FaultAgent.Tests.HostProcesses;

/// <summary>
/// The host tools the agent starts through nsenter (nvidia-smi for the board serials and for telemetry,
/// nvidia-bug-report.sh, dcgmi) when the agent stops (SIGTERM, as the kubelet stops the pod or the host shuts down) while
/// they hang: the real agent process, stand-in tools that hang and start a child of their own, the real nsenter into a
/// namespace the test owns. Each stand-in and its child also end when their directory is gone, so a failed run leaves
/// nothing behind.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class HostCommandStopTests : IDisposable
{
    /// <summary>How long the agent may take to stop: the host's default shutdown timeout (30 s) and a margin for a loaded machine.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(60);

    private readonly TestDirectory _directory = new();
    private readonly TestDirectory _tools = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly ITestOutputHelper _output;

    public HostCommandStopTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _tools.Dispose(); // the stand-ins end once their directory is gone
        _target.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task Stop_WhileNvidiaSmiBugReportAndDcgmiHang_EndsThemAndTheirChildren_AndExitsZero()
    {
        var smi = StandIn("nvidia-smi");
        var bugReport = StandIn("nvidia-bug-report.sh");
        var dcgmi = StandIn("dcgmi");
        var agent = await AgentProcess.StartAsync(Settings(smi, bugReport, dcgmi));
        int exitCode;
        try
        {
            using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
            var client = new AgentClient(channel);

            // The board-serial lookup started at start (CancellationToken.None: a shared run), a telemetry query (also a
            // shared run), a bug report (the collector's own run) and a DCGM injection (the request's).
            using var telemetry = client.GetGpuTelemetryAsync(new GetGpuTelemetryRequest(), AgentApplicationFactory.Auth());
            await client.StartBugReportAsync(new StartBugReportRequest(), AgentApplicationFactory.Auth());
            using var dcgm = client.InjectDcgmFieldAsync(new DcgmInjectFieldRequest { Field = "230", Value = "79", GpuId = 0 }, AgentApplicationFactory.Auth());
            try
            {
                await Eventually.TrueAsync(
                    () => Calls().Count(c => c.Contains("--query-gpu=pci.bus_id,serial,pci.device_id", StringComparison.Ordinal)) == 1
                        && Calls().Count(c => c.StartsWith("nvidia-smi ", StringComparison.Ordinal)) == 2
                        && Calls().Any(c => c.StartsWith("nvidia-bug-report.sh", StringComparison.Ordinal))
                        && Calls().Any(c => c.StartsWith("dcgmi", StringComparison.Ordinal))
                        && Tools(agent).Count >= 8,
                    "the four hanging tools and their children");
            }
            catch (Xunit.Sdk.FailException)
            {
                _output.WriteLine($"calls: {string.Join(" | ", Calls())}; processes: {Tools(agent).Count}\n{agent.Output}");
                throw;
            }

            var running = Tools(agent);
            _output.WriteLine($"running before the stop: {string.Join(", ", running)}; calls: {string.Join(" | ", Calls())}");

            exitCode = await agent.TerminateAsync(StopDeadline);

            // Right at the agent's exit, not after a wait: a tool the agent leaves behind is not its to end any more.
            var left = running.Where(ProcessTable.IsAlive).ToList();
            Assert.True(left.Count == 0, $"still running after the agent exited: {string.Join("; ", left.Select(Describe))}\n{agent.Output}");

            // The calls waiting for them are answered, not left to the host's shutdown timeout: UNAVAILABLE, saying why.
            foreach (var call in new Func<Task>[] { async () => await telemetry.ResponseAsync, async () => await dcgm.ResponseAsync })
            {
                var ended = await Assert.ThrowsAnyAsync<RpcException>(call);
                Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
                Assert.Contains("was ended: the agent is stopping", ended.Status.Detail, StringComparison.Ordinal);
            }
        }
        finally
        {
            await agent.DisposeAsync();
        }

        Assert.True(exitCode == 0, $"the agent exited with {exitCode}:\n{agent.Output}");
    }

    /// <summary>A tool that records its call, starts a child that waits like itself, and waits until its directory is gone.</summary>
    private string StandIn(string name)
    {
        var path = _tools.Combine(name);
        File.WriteAllText(path,
            "#!/bin/sh\n"
            + $"echo \"{name} $*\" >> '{_tools.Combine("calls")}'\n"
            + $"( while [ -d '{_tools.Path}' ]; do sleep 0.05; done ) &\n"
            + $"while [ -d '{_tools.Path}' ]; do sleep 0.05; done\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>The stand-ins' processes (their command lines name the directory; the agent's own names it in its settings).</summary>
    private List<int> Tools(AgentProcess agent) => [.. ProcessTable.FindByMarker(_tools.Path).Where(pid => pid != agent.Pid)];

    private List<string> Calls()
    {
        try
        {
            return [.. File.ReadAllLines(_tools.Combine("calls"))];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
        }
        catch (IOException)
        {
            return pid.ToString(CultureInfo.InvariantCulture);
        }
    }

    private Dictionary<string, string> Settings(string smi, string bugReport, string dcgmi)
    {
        var settings = AgentProcessSettings.ForNode(_directory, _target.Pid, "node-stop");
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Agent:Tools:NvidiaSmiPath"] = smi,
            ["Agent:Tools:NvidiaBugReportPath"] = bugReport,
            ["Agent:Dcgm:DcgmiPath"] = dcgmi,

            // Far past the test: on their own the tools would run for ten minutes (an hour for the bug report).
            ["Agent:Telemetry:CommandTimeout"] = "00:10:00",
            ["Agent:BugReports:Timeout"] = "01:00:00",
            ["Agent:Dcgm:CommandTimeout"] = "00:10:00",
        })
        {
            settings[key] = value;
        }

        return settings;
    }
}
