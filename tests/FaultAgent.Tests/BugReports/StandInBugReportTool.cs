using FaultAgent.Tests.HostProcesses;

namespace FaultAgent.Tests.BugReports;

/// <summary>
/// A stand-in <c>nvidia-bug-report.sh</c> in the host-only tmpfs: it parses the real script's options (unknown ones are an
/// error, as in the real script), insists on a writable working directory, and appends gzip members to
/// <c>&lt;--output-file&gt;.gz</c> as the real one does. <paramref name="body"/> is the shell snippet that decides what else it
/// does (write bytes, wait for a release file, hang, fail).
/// </summary>
internal sealed class StandInBugReportTool
{
    private readonly HostNamespaceFixture _host;

    private StandInBugReportTool(HostNamespaceFixture host, string preamble, string body)
    {
        _host = host;
        Directory = host.NewHostDirectory("bug-report-tool");
        Path = host.WriteToolAt(System.IO.Path.Combine(Directory, "nvidia-bug-report.sh"), $$"""
            #!/bin/sh
            dir=$(dirname "$0")
            echo "$*" >> "$dir/calls.log"
            {{preamble}}
            out=""
            while [ $# -gt 0 ]; do
              case "$1" in
                -o|--output-file) out="$2"; shift 2 ;;
                --safe-mode|--extra-system-data) shift ;;
                *) echo "Error: Unknown option $1"; exit 1 ;;
              esac
            done
            [ -n "$out" ] || out=nvidia-bug-report.log
            if ! touch ./.write-check 2>/dev/null; then
              echo "ERROR: Working directory is not writable; please cd to a directory where you have write permission"
              exit 1
            fi
            rm -f ./.write-check
            echo "nvidia-bug-report.sh will now collect information about your"
            echo "system and create the file '$out.gz' in the current"
            { echo "Start of NVIDIA bug report log file."; echo "cwd: $(pwd)"; echo "mnt: $(readlink /proc/self/ns/mnt)"; } | gzip -c >> "$out.gz"
            {{body}}
            echo "End of NVIDIA bug report log file." | gzip -c >> "$out.gz"
            echo " complete."
            """);
    }

    public string Path { get; }

    public string Directory { get; }

    public IReadOnlyList<string> Calls => File.Exists(HostFile("calls.log")) ? File.ReadAllLines(HostFile("calls.log")) : [];

    /// <summary>Writes <paramref name="bytes"/> random (incompressible) bytes into the archive.</summary>
    public static StandInBugReportTool Writing(HostNamespaceFixture host, long bytes) =>
        new(host, "", $"head -c {bytes} /dev/urandom | gzip -c >> \"$out.gz\"");

    /// <summary>Writes some bytes, then waits for <see cref="Release"/>.</summary>
    public static StandInBugReportTool Gated(HostNamespaceFixture host) =>
        new(host, "", "head -c 50000 /dev/urandom | gzip -c >> \"$out.gz\"\nwhile [ ! -e \"$dir/release\" ]; do sleep 0.02; done");

    /// <summary>Writes some bytes, starts a child that hangs, notes that it did, and hangs itself (as on a wedged GPU).</summary>
    public static StandInBugReportTool Hanging(HostNamespaceFixture host, string marker) =>
        new(host, "", $"head -c 30000 /dev/urandom | gzip -c >> \"$out.gz\"\nsleep {marker} &\necho $! > \"$dir/started\"\nsleep {marker}");

    /// <summary>The real script's answer when not run as root.</summary>
    public static StandInBugReportTool NotRoot(HostNamespaceFixture host) =>
        new(host, "echo \"ERROR: Please run $(basename $0) as root.\"\nexit 1", "");

    public void Release() => File.WriteAllText(HostFile("release"), "");

    public bool Started => File.Exists(HostFile("started"));

    private string HostFile(string name) => _host.HostPath(System.IO.Path.Combine(Directory, name));
}
