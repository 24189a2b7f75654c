using System.Diagnostics;
using System.Globalization;

namespace FaultAgent.Tests.Security;

/// <summary>
/// What a NON-privileged container would impose on a process, applied to a child process for real: a device cgroup
/// (cgroup v1 <c>devices</c>) allowing only runc's default devices — null, zero, full, random, urandom, tty, console,
/// ptmx, pts, and mknod of anything — and a capability bounding set of exactly the capabilities a Pod spec would add
/// (<c>setpriv --bounding-set</c>; as root, a process's capabilities after exec are its bounding set). The cgroup is
/// removed on dispose.
/// </summary>
public sealed class ContainerConfinement : IDisposable
{
    /// <summary>runc's default device rules (libcontainer/specconv AllowedDevices), as containerd's CRI applies them.</summary>
    public static readonly string[] RuncDefaultDevices =
        ["c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm"];

    private const string DevicesRoot = "/sys/fs/cgroup/devices";
    private static int _next;
    private readonly string? _cgroup;
    private readonly string[] _capabilities;

    /// <param name="capabilities">The capabilities the container gets, e.g. <c>SYS_ADMIN</c>.</param>
    /// <param name="deviceCgroup">Confine devices to <see cref="RuncDefaultDevices"/> (a non-privileged container) or not (privileged).</param>
    public ContainerConfinement(IEnumerable<string> capabilities, bool deviceCgroup)
    {
        _capabilities = [.. capabilities];
        if (!deviceCgroup)
        {
            return;
        }

        if (!File.Exists(Path.Combine(DevicesRoot, "devices.deny")))
        {
            throw new Xunit.Sdk.XunitException($"This test needs the cgroup v1 devices controller at {DevicesRoot} (as root) to build a container's device cgroup.");
        }

        _cgroup = Path.Combine(DevicesRoot, $"fault-confinement-{Environment.ProcessId}-{Interlocked.Increment(ref _next)}");
        Directory.CreateDirectory(_cgroup);
        File.WriteAllText(Path.Combine(_cgroup, "devices.deny"), "a");
        foreach (var rule in RuncDefaultDevices)
        {
            File.WriteAllText(Path.Combine(_cgroup, "devices.allow"), rule);
        }
    }

    /// <summary>Runs <paramref name="command"/> (argv, no shell of ours) inside the confinement: exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(params string[] command)
    {
        var bounding = "-all" + string.Concat(_capabilities.Select(c => ",+" + c.ToLowerInvariant()));
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");

        // Join the cgroup first (the shell itself, so everything it execs stays there), then drop to the capabilities.
        start.ArgumentList.Add(_cgroup is null ? "exec \"$@\"" : "echo $$ > \"$0\" && exec \"$@\"");
        start.ArgumentList.Add(_cgroup is null ? "confined" : Path.Combine(_cgroup, "cgroup.procs"));
        foreach (var argument in new[] { "setpriv", "--bounding-set", bounding, "--inh-caps", "-all", "--ambient-caps", "-all", "--" }.Concat(command))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose()
    {
        if (_cgroup is not null && Directory.Exists(_cgroup))
        {
            Directory.Delete(_cgroup);
        }
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
