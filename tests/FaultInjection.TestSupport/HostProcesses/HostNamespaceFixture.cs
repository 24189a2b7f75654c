using System.Diagnostics;
using System.Globalization;
using FaultInjection.TestSupport;

namespace FaultAgent.Tests.HostProcesses;

/// <summary>
/// A stand-in "host": <c>unshare --mount --propagation private --fork --pid --mount-proc sleep infinity</c>, started by the
/// test (never pid 1). <see cref="TargetPid"/> is the sleep inside the new mount and pid namespaces. A tmpfs is mounted at
/// <see cref="ToolsDirectory"/> inside that mount namespace only: tools written there exist for the "host" and not for the
/// test process, so a command that finds them ran in the host's mount namespace.
/// (The core branch has tests/FaultAgent.Tests/Infrastructure/TargetNamespaceProcess.cs for the same idea; merge them.)
/// </summary>
public sealed class HostNamespaceFixture : IDisposable, IRootFixture
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private readonly Process _unshare;

    public HostNamespaceFixture()
    {
        RootDirectory = Path.Combine(Path.GetTempPath(), "fault-agent-host-" + Guid.NewGuid().ToString("N"));
        ToolsDirectory = Path.Combine(RootDirectory, "tools");
        Directory.CreateDirectory(ToolsDirectory);

        var startInfo = new ProcessStartInfo("unshare") { UseShellExecute = false };
        foreach (var arg in new[] { "--mount", "--propagation", "private", "--fork", "--pid", "--mount-proc", "sleep", "infinity" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        _unshare = Process.Start(startInfo) ?? throw new InvalidOperationException("unshare did not start");
        try
        {
            TargetPid = WaitForTarget();
            Run("nsenter", "--target", TargetPid.ToString(CultureInfo.InvariantCulture), "--mount", "--",
                "mount", "-t", "tmpfs", "-o", "mode=0755", "fault-agent-test-tools", ToolsDirectory);
            if (!Directory.Exists(HostPath(ToolsDirectory)))
            {
                throw new InvalidOperationException("the target's root is not reachable through /proc");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The pid whose namespaces stand in for the host's PID 1.</summary>
    public int TargetPid { get; }

    /// <summary>A directory of this test run, the same in both namespaces (for state files).</summary>
    public string RootDirectory { get; }

    /// <summary>A tmpfs mounted only in the target's mount namespace.</summary>
    public string ToolsDirectory { get; }

    /// <summary>The path through which the test reaches <paramref name="path"/> as the target (host) sees it.</summary>
    public string HostPath(string path) => $"/proc/{TargetPid}/root{path}";

    /// <summary>Creates a fresh directory inside the host-only tmpfs and returns its path as the host sees it.</summary>
    public string NewHostDirectory(string prefix)
    {
        var path = Path.Combine(ToolsDirectory, prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(HostPath(path));
        return path;
    }

    /// <summary>Writes an executable into the host-only tools directory and returns its path as the host sees it.</summary>
    public string WriteTool(string name, string content) => WriteToolAt(Path.Combine(ToolsDirectory, name), content);

    /// <summary>Writes an executable at a host path (inside the host-only tmpfs) and returns that path.</summary>
    public string WriteToolAt(string path, string content)
    {
        var viaProc = HostPath(path);
        File.WriteAllText(viaProc, content.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("host namespaces are Linux only");
        }

        File.SetUnixFileMode(viaProc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>Runs a command in the host's mount namespace (test setup only), failing on a non-zero exit.</summary>
    public void RunInHost(params string[] command)
    {
        var args = new List<string> { "--target", TargetPid.ToString(CultureInfo.InvariantCulture), "--mount", "--" };
        args.AddRange(command);
        Run("nsenter", [.. args]);
    }

    public static string MountNamespaceOf(string pid) => new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget ?? "";

    public void Dispose()
    {
        try
        {
            if (!_unshare.HasExited)
            {
                _unshare.Kill(entireProcessTree: true);
                _unshare.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _unshare.Dispose();
        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private int WaitForTarget()
    {
        var ownNamespace = MountNamespaceOf("self");
        var deadline = Stopwatch.StartNew();
        var id = _unshare.Id.ToString(CultureInfo.InvariantCulture);
        while (deadline.Elapsed < StartDeadline)
        {
            if (_unshare.HasExited)
            {
                throw new InvalidOperationException($"unshare exited with code {_unshare.ExitCode}");
            }

            var children = ReadOrEmpty($"/proc/{id}/task/{id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (children.Length == 1)
            {
                var child = children[0];
                var exe = TryLink($"/proc/{child}/exe");
                var ns = MountNamespaceOf(child);
                if (exe is not null && Path.GetFileName(exe) == "sleep" && ns.Length > 0 && ns != ownNamespace)
                {
                    return int.Parse(child, CultureInfo.InvariantCulture);
                }
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException("the target namespace process did not come up");
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string? TryLink(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, false)?.ToString();
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

    private static void Run(string program, params string[] args)
    {
        var startInfo = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException(program + " did not start");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
        }
    }
}
