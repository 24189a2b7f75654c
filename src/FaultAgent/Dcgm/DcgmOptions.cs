using System.ComponentModel.DataAnnotations;
using FaultAgent.Hosting;

namespace FaultAgent.Dcgm;

/// <summary>How the agent reaches DCGM, bound from <c>Agent:Dcgm</c>.</summary>
public sealed class DcgmOptions
{
    public const string SectionName = "Agent:Dcgm";

    /// <summary>dcgmi as the host sees it, or its path inside <see cref="DriverRoot"/> when that is set.</summary>
    [Required(ErrorMessage = "Agent:Dcgm:DcgmiPath is required.")]
    [RegularExpression("^/[^\\s]*$", ErrorMessage = "Agent:Dcgm:DcgmiPath must be an absolute path (e.g. /usr/bin/dcgmi).")]
    public string DcgmiPath { get; set; } = "/usr/bin/dcgmi";

    /// <summary>
    /// A root on the host that holds dcgmi and its libraries (e.g. a containerised driver's <c>/run/nvidia/driver</c>);
    /// empty: dcgmi is installed on the host. When set, dcgmi runs as <c>chroot &lt;DriverRoot&gt; &lt;DcgmiPath&gt;</c>
    /// (<c>Agent:Tools:ChrootPath</c>).
    /// </summary>
    [RegularExpression("^(/[^\\s]*)?$", ErrorMessage = "Agent:Dcgm:DriverRoot must be empty or an absolute path.")]
    public string DriverRoot { get; set; } = "";

    /// <summary>
    /// The hostengine dcgmi talks to, passed as <c>--host</c>: <c>IP[:port]</c> or a name (the GPU Operator's
    /// <c>nvidia-dcgm</c> service listens on 5555), or <c>unix:///path.sock</c>. Empty: dcgmi's default, localhost.
    /// </summary>
    [RegularExpression("^$|^unix:///[^\\s]+$|^[A-Za-z0-9\\[][A-Za-z0-9.:\\[\\]_-]*$", ErrorMessage = "Agent:Dcgm:HostEngineAddress must be empty, IP[:port], a host name[:port], or unix:///path.")]
    public string HostEngineAddress { get; set; } = "";

    /// <summary>How long one dcgmi run may take before its process tree is killed.</summary>
    [SettingRange("00:00:01", "00:10:00", ErrorMessage = "Agent:Dcgm:CommandTimeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the agent retries writing back a field whose restore failed (the hostengine was away).</summary>
    [SettingRange("00:00:01", "01:00:00", ErrorMessage = "Agent:Dcgm:RestoreRetryInterval must be between 00:00:01 and 01:00:00.")]
    public TimeSpan RestoreRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}
