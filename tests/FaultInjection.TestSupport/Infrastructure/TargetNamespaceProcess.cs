using System.Diagnostics;
using System.Globalization;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// A process of our own in a private mount namespace (<c>unshare --mount --propagation private sleep infinity</c>),
/// standing in for the host's PID 1 in tests. Ready once <c>/proc/PID/ns/mnt</c> differs from ours and the process runs
/// <c>sleep</c> (so its mounts are private: nothing mounted inside reaches our namespace); killed on dispose.
/// <see cref="RunInside"/> runs a command inside its namespace (nsenter, ArgumentList, no shell).
/// </summary>
public sealed class TargetNamespaceProcess : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    public TargetNamespaceProcess()
    {
        var start = new ProcessStartInfo("unshare")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--mount", "--propagation", "private", "sleep", "infinity" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("unshare did not start.");
        var own = MountNamespaceOf("self");
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"unshare exited with {_process.ExitCode}: {_process.StandardError.ReadToEnd()}");
            }

            // A new namespace alone is not ready: unshare(1) makes its mounts private only after unshare(2), then execs
            // sleep, and a mount made inside before that propagates to our namespace through the shared peer groups.
            // Ready once sleep runs.
            var theirs = TryMountNamespaceOf(Pid.ToString(CultureInfo.InvariantCulture));
            if (theirs is not null && theirs != own && IsRunningSleep())
            {
                break;
            }

            if (stopwatch.Elapsed > StartDeadline)
            {
                Dispose();
                throw new TimeoutException($"pid {Pid} did not enter its own mount namespace within {StartDeadline}.");
            }

            Thread.Yield();
        }
    }

    public int Pid => _process.Id;

    private bool IsRunningSleep()
    {
        try
        {
            return File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim() == "sleep";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The mount namespace link text (<c>mnt:[inode]</c>) of <paramref name="pidOrSelf"/> (a pid, "self", "thread-self").</summary>
    public static string MountNamespaceOf(string pidOrSelf) =>
        TryMountNamespaceOf(pidOrSelf) ?? throw new InvalidOperationException($"/proc/{pidOrSelf}/ns/mnt cannot be read.");

    /// <summary>Runs a program inside the process's mount namespace; throws with its stderr if it fails.</summary>
    public string RunInside(params string[] command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--target", Pid.ToString(CultureInfo.InvariantCulture), "--mount", "--" }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("nsenter did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nsenter {string.Join(' ', command)} failed ({process.ExitCode}): {error}");
        }

        return output.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static string? TryMountNamespaceOf(string pidOrSelf)
    {
        try
        {
            return new FileInfo($"/proc/{pidOrSelf}/ns/mnt").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
