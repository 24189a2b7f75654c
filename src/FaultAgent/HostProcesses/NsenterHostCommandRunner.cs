using System.ComponentModel;
using System.Diagnostics;
using FaultAgent.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.HostProcesses;

/// <summary>
/// Runs a host command as <c>nsenter --target &lt;pid&gt; --mount --uts --ipc --net --pid [--wdns=dir] -- program args...</c>
/// (argument list, never a shell). On timeout or cancellation the whole process tree is killed with SIGKILL: the agent
/// shares the host's pid namespace (or is its parent here), so it sees the tool's descendants in the entered pid namespace.
/// So it is when the agent stops (<see cref="HostCommandShutdown"/>): every run still going is killed the same way and ends
/// with <see cref="HostCommandStoppedException"/>, whoever asked for it and whether or not they can cancel.
/// </summary>
public sealed class NsenterHostCommandRunner : IHostCommandRunner
{
    /// <summary>How long to wait for a SIGKILLed tree to go (a process stuck in the driver may never go).</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>How long output capture may continue after the tool exited (a daemon it left may hold the pipe).</summary>
    private static readonly TimeSpan OutputDrainWait = TimeSpan.FromSeconds(2);

    /// <summary>The environment every host command gets.</summary>
    public static readonly IReadOnlyDictionary<string, string> HostEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["LC_ALL"] = "C",
        ["LANG"] = "C",
        ["HOME"] = "/root",
    };

    private readonly IOptions<AgentOptions> _agent;
    private readonly IOptions<HostToolsOptions> _tools;
    private readonly TimeProvider _time;
    private readonly ILogger<NsenterHostCommandRunner> _logger;
    private readonly HostCommandShutdown? _shutdown;

    /// <param name="shutdown">Ends the runs still going when the agent stops; null: nothing does (a runner outside a host).</param>
    public NsenterHostCommandRunner(
        IOptions<AgentOptions> agent,
        IOptions<HostToolsOptions> tools,
        TimeProvider time,
        ILogger<NsenterHostCommandRunner> logger,
        HostCommandShutdown? shutdown = null)
    {
        _agent = agent;
        _tools = tools;
        _time = time;
        _logger = logger;
        _shutdown = shutdown;
    }

    public Task<HostCommandResult> RunAsync(HostCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(command.Program);
        if (command.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(command), command.Timeout, "A host command needs a positive timeout.");
        }

        if (_shutdown is null)
        {
            return RunCoreAsync(command, CancellationToken.None, cancellationToken);
        }

        var run = RunCoreAsync(command, _shutdown.Stopping, cancellationToken);
        _shutdown.Track(run);
        return run;
    }

    private async Task<HostCommandResult> RunCoreAsync(HostCommand command, CancellationToken stopping, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (stopping.IsCancellationRequested)
        {
            throw new HostCommandStoppedException(command.ToString());
        }
        var targetPid = _agent.Value.TargetPid;
        var tools = _tools.Value;
        var maxBytes = command.MaxOutputBytes ?? tools.MaxOutputBytes;
        var description = command.ToString();

        if (!Directory.Exists($"/proc/{targetPid}/ns"))
        {
            throw new HostNamespaceUnavailableException(targetPid, $"cannot enter the namespaces of process {targetPid}: /proc/{targetPid}/ns does not exist (no such process)");
        }

        using var process = new Process { StartInfo = CreateStartInfo(tools.NsenterPath, targetPid, command) };
        HostProcessesLog.Starting(_logger, description, targetPid);
        var started = _time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new HostToolNotFoundException(tools.NsenterPath, ex.Message, ex);
        }

        process.StandardInput.Close();
        var stdout = new BoundedOutputReader(maxBytes);
        var stderr = new BoundedOutputReader(maxBytes);
        var readers = Task.WhenAll(
            stdout.ReadToEndAsync(process.StandardOutput.BaseStream),
            stderr.ReadToEndAsync(process.StandardError.BaseStream));

        // A reader abandoned below (a leftover process holds the pipe) ends with an error once the streams are disposed.
        _ = readers.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

        using var timeout = new CancellationTokenSource(command.Timeout, _time);
        command.TimeoutStarted?.Invoke(); // before the first await: RunAsync has not returned yet
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, stopping);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var cancelledByCaller = cancellationToken.IsCancellationRequested;
            var agentStopping = !cancelledByCaller && stopping.IsCancellationRequested;
            if (cancelledByCaller)
            {
                HostProcessesLog.Cancelled(_logger, description);
            }
            else if (agentStopping)
            {
                HostProcessesLog.Stopping(_logger, description);
            }
            else
            {
                HostProcessesLog.TimedOut(_logger, description, command.Timeout.TotalSeconds);
            }

            await KillTreeAsync(process, description).ConfigureAwait(false);
            await WaitQuietlyAsync(readers, OutputDrainWait).ConfigureAwait(false);
            if (cancelledByCaller)
            {
                throw new OperationCanceledException($"'{description}' was cancelled", null, cancellationToken);
            }

            if (agentStopping)
            {
                throw new HostCommandStoppedException(description);
            }

            throw new HostCommandTimeoutException(description, command.Timeout);
        }

        if (!await WaitQuietlyAsync(readers, OutputDrainWait).ConfigureAwait(false))
        {
            HostProcessesLog.OutputHeldOpen(_logger, description);
        }

        var elapsed = _time.GetElapsedTime(started);
        var exitCode = process.ExitCode;
        HostProcessesLog.Exited(_logger, description, exitCode, (long)elapsed.TotalMilliseconds);
        var result = new HostCommandResult(exitCode, stdout.GetText(), stdout.Truncated, stderr.GetText(), stderr.Truncated, elapsed);
        ThrowIfNsenterFailed(result, command.Program, targetPid);
        return result;
    }

    private static ProcessStartInfo CreateStartInfo(string nsenterPath, int targetPid, HostCommand command)
    {
        var startInfo = new ProcessStartInfo(nsenterPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Host tools get a clean, fixed environment, not the agent container's: the C locale keeps nvidia-smi's numbers
        // as "28.16" (never "28,16", which would break CSV), and PATH is the host's usual one for the tools the scripts call.
        startInfo.Environment.Clear();
        foreach (var (name, value) in HostEnvironment)
        {
            startInfo.Environment[name] = value;
        }

        var args = startInfo.ArgumentList;
        args.Add("--target");
        args.Add(targetPid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        args.Add("--mount");
        args.Add("--uts");
        args.Add("--ipc");
        args.Add("--net");
        args.Add("--pid");
        if (command.WorkingDirectory is { Length: > 0 } workingDirectory)
        {
            // --wdns resolves the directory inside the entered mount namespace (--wd would resolve it in ours).
            args.Add("--wdns=" + workingDirectory);
        }

        args.Add("--");
        args.Add(command.Program);
        foreach (var argument in command.Arguments)
        {
            args.Add(argument);
        }

        return startInfo;
    }

    /// <summary>nsenter reports its own failures as "nsenter: ..." with exit 126/127 (exec) or 1 (namespaces).</summary>
    private static void ThrowIfNsenterFailed(HostCommandResult result, string program, int targetPid)
    {
        var stderr = result.StandardError;
        if (result.ExitCode is 126 or 127 && stderr.StartsWith("nsenter: failed to execute", StringComparison.Ordinal))
        {
            throw new HostToolNotFoundException(program, FirstLine(stderr));
        }

        if (result.ExitCode == 1
            && stderr.StartsWith("nsenter: ", StringComparison.Ordinal)
            && (stderr.Contains("namespace", StringComparison.Ordinal) || stderr.Contains("/proc/", StringComparison.Ordinal)
                || stderr.Contains("cannot change directory", StringComparison.Ordinal)))
        {
            throw new HostNamespaceUnavailableException(targetPid, $"cannot enter the namespaces of process {targetPid}: {FirstLine(stderr)}");
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).Trim();
    }

    private async Task KillTreeAsync(Process process, string description)
    {
        // Kill repeatedly until the leader is gone: a child forked during a sweep is caught by the next one.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
            catch (Win32Exception ex)
            {
                HostProcessesLog.KillFailed(_logger, ex, SafeId(process), description);
            }

            if (await WaitQuietlyAsync(process.WaitForExitAsync(CancellationToken.None), KillWait / 3).ConfigureAwait(false))
            {
                return;
            }
        }

        HostProcessesLog.Unkillable(_logger, SafeId(process), description, KillWait.TotalSeconds);
    }

    private static int SafeId(Process process)
    {
        try
        {
            return process.Id;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    private async Task<bool> WaitQuietlyAsync(Task task, TimeSpan wait)
    {
        try
        {
            await task.WaitAsync(wait, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}
