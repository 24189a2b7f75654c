using System.Globalization;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.HostProcesses;

/// <summary>The real runner against a real mount + pid namespace the test created (the stand-in host).</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class NsenterHostCommandRunnerTests : IClassFixture<HostNamespaceFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly HostNamespaceFixture _host;

    public NsenterHostCommandRunnerTests(HostNamespaceFixture host)
    {
        _host = host;
    }

    internal static NsenterHostCommandRunner CreateRunner(int targetPid, HostToolsOptions? tools = null, HostCommandShutdown? shutdown = null, TimeProvider? time = null) =>
        new(
            Options.Create(new AgentOptions { NodeName = "node-a", TargetPid = targetPid }),
            Options.Create(tools ?? new HostToolsOptions()),
            time ?? TimeProvider.System,
            NullLogger<NsenterHostCommandRunner>.Instance,
            shutdown);

    [RootFact]
    public async Task RunAsync_ToolOnlyInHostMountNamespace_RunsThereAndReportsHostNamespaces()
    {
        var tool = _host.WriteTool("whereami", "#!/bin/sh\necho \"mnt=$(readlink /proc/self/ns/mnt)\"\necho \"pid=$$\"\n");
        Assert.False(File.Exists(tool)); // not visible to the agent: only the host has it

        var result = await CreateRunner(_host.TargetPid).RunAsync(new HostCommand(tool, [], Generous), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("mnt=" + HostNamespaceFixture.MountNamespaceOf(_host.TargetPid.ToString(CultureInfo.InvariantCulture)), lines[0]);
        Assert.NotEqual("mnt=" + HostNamespaceFixture.MountNamespaceOf("self"), lines[0]);
        // In the entered pid namespace the tool's pid is small (the namespace's init is pid 1).
        Assert.True(int.Parse(lines[1]["pid=".Length..], CultureInfo.InvariantCulture) < 1000, lines[1]);
    }

    [RootFact]
    public async Task RunAsync_ArgumentsWithShellCharacters_PassedVerbatimAsArgv()
    {
        var tool = _host.WriteTool("argv", "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");
        string[] args = ["a b", "$(touch /tmp/pwned)", "'quoted'", "--x=1;echo no", ""];

        var result = await CreateRunner(_host.TargetPid).RunAsync(new HostCommand(tool, args, Generous), CancellationToken.None);

        Assert.Equal(string.Concat(args.Select(a => "[" + a + "]\n")), result.StandardOutput);
    }

    [RootFact]
    public async Task RunAsync_AnyTool_GetsCleanCLocaleEnvironmentNotTheAgents()
    {
        Environment.SetEnvironmentVariable("FAULT_AGENT_TEST_SECRET", "must-not-leak");
        var tool = _host.WriteTool("env", "#!/bin/sh\nenv | sort\n");

        var result = await CreateRunner(_host.TargetPid).RunAsync(new HostCommand(tool, [], Generous), CancellationToken.None);

        var variables = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.DoesNotContain(variables, v => v.StartsWith("FAULT_AGENT_TEST_SECRET", StringComparison.Ordinal));
        Assert.Contains("LC_ALL=C", variables);
        Assert.Contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", variables);
    }

    [RootFact]
    public async Task RunAsync_NonZeroExit_ReturnsExitCodeAndBothStreams()
    {
        var tool = _host.WriteTool("fails", "#!/bin/sh\necho out\necho 'went wrong' >&2\nexit 3\n");

        var result = await CreateRunner(_host.TargetPid).RunAsync(new HostCommand(tool, [], Generous), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("went wrong\n", result.StandardError);
    }

    [RootFact]
    public async Task RunAsync_ProgramMissingOnHost_ThrowsHostToolNotFound()
    {
        var missing = Path.Combine(_host.ToolsDirectory, "no-such-tool");

        var ex = await Assert.ThrowsAsync<HostToolNotFoundException>(() =>
            CreateRunner(_host.TargetPid).RunAsync(new HostCommand(missing, [], Generous), CancellationToken.None));

        Assert.Equal(missing, ex.Program);
        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, FaultAgent.Grpc.FaultStatusCodes.For(ex));
    }

    [RootFact]
    public async Task RunAsync_NsenterMissing_ThrowsHostToolNotFound()
    {
        var runner = CreateRunner(_host.TargetPid, new HostToolsOptions { NsenterPath = "/nonexistent/nsenter" });

        var ex = await Assert.ThrowsAsync<HostToolNotFoundException>(() =>
            runner.RunAsync(new HostCommand("/bin/true", [], Generous), CancellationToken.None));

        Assert.Equal("/nonexistent/nsenter", ex.Program);
    }

    [RootFact]
    public async Task RunAsync_TargetProcessGone_ThrowsNamespaceUnavailable()
    {
        var ex = await Assert.ThrowsAsync<HostNamespaceUnavailableException>(() =>
            CreateRunner(int.MaxValue - 1).RunAsync(new HostCommand("/bin/true", [], Generous), CancellationToken.None));

        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, FaultAgent.Grpc.FaultStatusCodes.For(ex));
    }

    [RootFact]
    public async Task RunAsync_OutputBeyondCap_KeepsCapAndFlagsTruncated()
    {
        var tool = _host.WriteTool("chatty", "#!/bin/sh\nhead -c 3000000 /dev/zero | tr '\\0' 'x'\necho done >&2\n");
        var command = new HostCommand(tool, [], Generous) { MaxOutputBytes = 4096 };

        var result = await CreateRunner(_host.TargetPid).RunAsync(command, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new string('x', 4096), result.StandardOutput);
        Assert.True(result.StandardOutputTruncated);
        Assert.Equal("done\n", result.StandardError);
        Assert.False(result.StandardErrorTruncated);
    }

    [RootFact]
    public async Task RunAsync_WorkingDirectory_ResolvedInHostMountNamespace()
    {
        var tool = _host.WriteTool("pwd-ls", "#!/bin/sh\npwd\nls\n");

        var command = new HostCommand(tool, [], Generous) { WorkingDirectory = _host.ToolsDirectory };
        var result = await CreateRunner(_host.TargetPid).RunAsync(command, CancellationToken.None);

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(_host.ToolsDirectory, lines[0]);
        Assert.Contains("pwd-ls", lines); // the host-only tmpfs, not the agent's empty directory
    }

    [RootFact]
    public async Task RunAsync_HangingToolWithGrandchild_TimeoutKillsWholeTree()
    {
        var marker = NewMarker();
        var tool = _host.WriteTool("hangs-" + marker, "#!/bin/sh\nsleep \"$1\" &\nsleep \"$1\"\n");
        using var watcher = new MarkerWatcher(marker);

        var ex = await Assert.ThrowsAsync<HostCommandTimeoutException>(() =>
            CreateRunner(_host.TargetPid).RunAsync(new HostCommand(tool, [marker], TimeSpan.FromSeconds(4)), CancellationToken.None));

        Assert.Equal(global::Grpc.Core.StatusCode.DeadlineExceeded, FaultAgent.Grpc.FaultStatusCodes.For(ex));
        var seen = watcher.Stop();
        Assert.True(seen.Count >= 3, $"expected the script, its child and its grandchild; saw {seen.Count}");
        await AssertAllDieAsync(seen);
    }

    [RootFact]
    public async Task RunAsync_CallerCancels_KillsWholeTreeAndThrowsCancelled()
    {
        var marker = NewMarker();
        var tool = _host.WriteTool("hangs-" + marker, "#!/bin/sh\n(sleep \"$1\" & sleep \"$1\") &\nsleep \"$1\"\n");
        using var cts = new CancellationTokenSource();
        using var watcher = new MarkerWatcher(marker, whenSeen: 4, onSeen: cts.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CreateRunner(_host.TargetPid).RunAsync(new HostCommand(tool, [marker], Generous), cts.Token));

        var seen = watcher.Stop();
        Assert.True(seen.Count >= 4, $"saw {seen.Count}");
        await AssertAllDieAsync(seen);
    }

    [RootFact]
    public async Task RunAsync_AgentStopsWhileItRuns_KillsWholeTreeEndsStopped_AndRefusesTheNextRun()
    {
        // A run nobody cancels (CancellationToken.None, as the shared nvidia-smi runs are) while the host stops: the
        // stop's StopAsync returns only once the run saw its tree go, and a run asked for afterwards starts nothing.
        var marker = NewMarker();
        var tool = _host.WriteTool("hangs-" + marker, "#!/bin/sh\n(sleep \"$1\" & sleep \"$1\") &\nsleep \"$1\"\n");
        var lifetime = new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance);
        using var shutdown = new HostCommandShutdown(lifetime);
        var runner = CreateRunner(_host.TargetPid, shutdown: shutdown);
        var stopped = Task.CompletedTask;
        using var watcher = new MarkerWatcher(marker, whenSeen: 4, onSeen: () =>
        {
            lifetime.StopApplication();
            stopped = shutdown.StopAsync(CancellationToken.None);
        });

        var ex = await Assert.ThrowsAsync<HostCommandStoppedException>(() => runner.RunAsync(new HostCommand(tool, [marker], Generous), CancellationToken.None));
        await stopped;

        Assert.Equal(global::Grpc.Core.StatusCode.Unavailable, FaultAgent.Grpc.FaultStatusCodes.For(ex));
        Assert.Contains("the agent is stopping", ex.Message, StringComparison.Ordinal);
        var seen = watcher.Stop();
        Assert.True(seen.Count >= 4, $"saw {seen.Count}");
        await AssertAllDieAsync(seen);

        var later = NewMarker();
        var next = _host.WriteTool("after-" + later, "#!/bin/sh\nsleep \"$1\"\n");
        await Assert.ThrowsAsync<HostCommandStoppedException>(() => runner.RunAsync(new HostCommand(next, [later], Generous), CancellationToken.None));
        Assert.Empty(ProcessTable.FindByMarker(later));
    }

    [RootFact]
    public async Task RunAsync_ToolLeavesDaemonHoldingStdout_ReturnsWithExitCodeAnyway()
    {
        var marker = NewMarker();
        var tool = _host.WriteTool("daemonizes-" + marker, "#!/bin/sh\necho before\nsleep \"$1\" &\nexit 0\n");
        try
        {
            var result = await CreateRunner(_host.TargetPid).RunAsync(new HostCommand(tool, [marker], Generous), CancellationToken.None);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("before\n", result.StandardOutput);
        }
        finally
        {
            foreach (var pid in ProcessTable.FindByMarker(marker))
            {
                using var leftover = System.Diagnostics.Process.GetProcessById(pid);
                leftover.Kill();
            }
        }
    }

    private static string NewMarker() =>
        "86400." + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);

    private static async Task AssertAllDieAsync(IReadOnlyCollection<int> pids)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (pids.Any(ProcessTable.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.DoesNotContain(pids, ProcessTable.IsAlive);
    }

    /// <summary>Polls /proc in the background, remembering every process that carried the marker.</summary>
    private sealed class MarkerWatcher : IDisposable
    {
        private readonly HashSet<int> _seen = [];
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public MarkerWatcher(string marker, int whenSeen = int.MaxValue, Action? onSeen = null)
        {
            _loop = Task.Run(async () =>
            {
                var fired = false;
                while (!_stop.IsCancellationRequested)
                {
                    lock (_seen)
                    {
                        _seen.UnionWith(ProcessTable.FindByMarker(marker));
                        if (!fired && _seen.Count >= whenSeen)
                        {
                            fired = true;
                            onSeen?.Invoke();
                        }
                    }

                    await Task.Delay(25).ConfigureAwait(false);
                }
            });
        }

        public IReadOnlyCollection<int> Stop()
        {
            _stop.Cancel();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
            }

            lock (_seen)
            {
                return [.. _seen];
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
