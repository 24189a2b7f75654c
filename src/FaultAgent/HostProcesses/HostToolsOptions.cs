using System.ComponentModel.DataAnnotations;
using FaultAgent.Hosting;

namespace FaultAgent.HostProcesses;

/// <summary>Where the host tools are and how much of their output is kept, bound from <c>Agent:Tools</c>.</summary>
public sealed class HostToolsOptions
{
    public const string SectionName = "Agent:Tools";

    /// <summary>nsenter in the agent's own image (it runs before the namespaces are entered).</summary>
    [Required(ErrorMessage = "Agent:Tools:NsenterPath is required.")]
    public string NsenterPath { get; set; } = "/usr/bin/nsenter";

    /// <summary>nvidia-smi as the host sees it, or its path inside <see cref="DriverRoot"/> when that is set.</summary>
    [Required(ErrorMessage = "Agent:Tools:NvidiaSmiPath is required.")]
    public string NvidiaSmiPath { get; set; } = "/usr/bin/nvidia-smi";

    /// <summary>
    /// The containerised driver's root on the host (GPU Operator: <c>/run/nvidia/driver</c>); empty: the driver is installed on
    /// the host. When set, nvidia-smi runs as <c>chroot &lt;DriverRoot&gt; &lt;NvidiaSmiPath&gt;</c>, so NvidiaSmiPath is the
    /// path inside that root and nvidia-smi finds its own libnvidia-ml.
    /// </summary>
    [RegularExpression("^(/.*)?$", ErrorMessage = "Agent:Tools:DriverRoot must be empty or an absolute path (e.g. /run/nvidia/driver).")]
    public string DriverRoot { get; set; } = "";

    /// <summary>chroot on the host, used when <see cref="DriverRoot"/> is set.</summary>
    [Required(ErrorMessage = "Agent:Tools:ChrootPath is required.")]
    public string ChrootPath { get; set; } = "/usr/sbin/chroot";

    /// <summary>nvidia-bug-report.sh as the host sees it.</summary>
    [Required(ErrorMessage = "Agent:Tools:NvidiaBugReportPath is required.")]
    public string NvidiaBugReportPath { get; set; } = "/usr/bin/nvidia-bug-report.sh";

    /// <summary>The most bytes kept of each of a tool's stdout and stderr (the rest is read and dropped).</summary>
    [SettingRange(1024, 64 * 1024 * 1024, ErrorMessage = "Agent:Tools:MaxOutputBytes must be between 1024 and 67108864.")]
    public int MaxOutputBytes { get; set; } = 4 * 1024 * 1024;
}
