using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Telemetry;

namespace FaultAgent.Tests.BugReports;

/// <summary>
/// The stand-in <c>nvidia-bug-report.sh</c> of the repository (<c>samples/stand-in-tools/nvidia-bug-report.sh</c>, the one
/// run-local.sh installs for its simulated nodes) in the host-only tmpfs: it parses the real script's options (unknown
/// ones are an error, as in the real script), insists on root and a writable working directory, and appends gzip members
/// to <c>&lt;--output-file&gt;.gz</c> as the real one does. The knob files beside it decide what else it does (write random
/// bytes, wait for a release file, hang, answer as when not run as root).
/// </summary>
internal sealed class StandInBugReportTool
{
    private readonly HostNamespaceFixture _host;

    private StandInBugReportTool(HostNamespaceFixture host, params (string Knob, string Content)[] knobs)
    {
        _host = host;
        Directory = host.NewHostDirectory("bug-report-tool");
        Path = host.WriteToolAt(System.IO.Path.Combine(Directory, "nvidia-bug-report.sh"), File.ReadAllText(StandInNvidiaSmi.StandInToolPath("nvidia-bug-report.sh")));
        File.WriteAllText(HostFile("calls.log"), "");
        foreach (var (knob, content) in knobs)
        {
            File.WriteAllText(HostFile(knob), content);
        }
    }

    public string Path { get; }

    public string Directory { get; }

    public IReadOnlyList<string> Calls => File.Exists(HostFile("calls.log")) ? File.ReadAllLines(HostFile("calls.log")) : [];

    public bool Started => File.Exists(HostFile("started"));

    /// <summary>Writes <paramref name="bytes"/> random (incompressible) bytes into the archive.</summary>
    public static StandInBugReportTool Writing(HostNamespaceFixture host, long bytes) =>
        new(host, ("random-bytes", bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Writes some bytes, then waits for <see cref="Release"/>.</summary>
    public static StandInBugReportTool Gated(HostNamespaceFixture host) => new(host, ("random-bytes", "50000"), ("gate", ""));

    /// <summary>Writes some bytes, starts a child that hangs (<c>sleep &lt;marker&gt;</c>), notes that it did, and hangs itself (as on a wedged GPU).</summary>
    public static StandInBugReportTool Hanging(HostNamespaceFixture host, string marker) => new(host, ("random-bytes", "30000"), ("hang", marker));

    /// <summary>The real script's answer when not run as root.</summary>
    public static StandInBugReportTool NotRoot(HostNamespaceFixture host) => new(host, ("not-root", ""));

    public void Release() => File.WriteAllText(HostFile("release"), "");

    private string HostFile(string name) => _host.HostPath(System.IO.Path.Combine(Directory, name));
}
