using System.ComponentModel.DataAnnotations;
using FaultAgent.Hosting;

namespace FaultAgent.BugReports;

/// <summary>nvidia-bug-report collection settings, bound from <c>Agent:BugReports</c>.</summary>
public sealed class BugReportOptions
{
    public const string SectionName = "Agent:BugReports";

    /// <summary>How long nvidia-bug-report.sh may run before its process tree is killed and the report marked timed out.</summary>
    [SettingRange("00:00:01", "1.00:00:00", ErrorMessage = "Agent:BugReports:Timeout must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>How many reports are kept; the oldest finished ones are deleted first.</summary>
    [SettingRange(1, 1000, ErrorMessage = "Agent:BugReports:MaxReports must be between 1 and 1000.")]
    public int MaxReports { get; set; } = 5;

    /// <summary>
    /// How many archive downloads the node serves at once; beyond, RESOURCE_EXHAUSTED. Each open one holds a file
    /// descriptor and its chunk buffers (~240 KiB) until it ends, however slowly its caller reads.
    /// </summary>
    [SettingRange(1, 1000, ErrorMessage = "Agent:BugReports:MaxConcurrentDownloads must be between 1 and 1000.")]
    public int MaxConcurrentDownloads { get; set; } = 8;

    /// <summary>
    /// How long a download may wait for its caller to take the next chunk (gRPC flow control holds the agent's write while
    /// the caller does not read); past it the agent ends the download (its place and file freed) with ABORTED. The wait
    /// restarts with every chunk taken, so a slow reader that keeps moving is never cut.
    /// </summary>
    [SettingRange("00:00:01", "01:00:00", ErrorMessage = "Agent:BugReports:DownloadIdleTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan DownloadIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Collect a report every this often (trigger "schedule"); unset or 00:00:00: no scheduled collection.</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>
    /// The agent's state directory as the host sees it (the tool runs in the host's mount namespace and writes there);
    /// unset: the same path as <c>Agent:StateDirectory</c> (a hostPath mounted at the same path).
    /// </summary>
    public string? HostStateDirectory { get; set; }

    /// <summary>Pass <c>--safe-mode</c>: skip the nvidia-smi/nvlink queries and /proc reads known to hang on a wedged GPU.</summary>
    public bool SafeMode { get; set; }

    /// <summary>Pass <c>--extra-system-data</c>: also CPU backtraces (it writes to /proc/sysrq-trigger, i.e. into dmesg).</summary>
    public bool ExtraSystemData { get; set; }
}
