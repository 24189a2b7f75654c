using System.ComponentModel.DataAnnotations;

namespace FaultAgent.Hosting;

/// <summary>The agent's settings, bound from the <c>Agent</c> section (env <c>Agent__X</c>, command line <c>--Agent:X</c>).</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>The Kubernetes node this agent runs on (env <c>NODE_NAME</c> from the downward API also sets it).</summary>
    [Required(ErrorMessage = "Agent:NodeName (or env NODE_NAME) is required: the node this agent runs on.")]
    public string NodeName { get; set; } = "";

    /// <summary>Where <c>driver/nvidia/gpus</c> is read: the host's /proc mounted into the pod.</summary>
    [Required]
    public string ProcRoot { get; set; } = "/host/proc";

    /// <summary>The process whose mount namespace holds the host's /dev/kmsg: the host's PID 1 on a node.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = "Agent:TargetPid must be a process id (1 or more).")]
    public int TargetPid { get; set; } = 1;

    /// <summary>The node-local state directory (fault registry, bug reports), a hostPath on a node.</summary>
    [Required]
    public string StateDirectory { get; set; } = "/var/lib/fault-injector";

    /// <summary>
    /// The node's boot id, whose change since an injection means the node rebooted. The kernel keeps one boot id for
    /// every namespace, so the agent's own /proc serves; a test or a simulated node may point it elsewhere.
    /// </summary>
    [Required]
    public string BootIdFile { get; set; } = "/proc/sys/kernel/random/boot_id";

    /// <summary>How callers authenticate: <c>TokenFile</c> (<see cref="TokenFile"/>) or <c>TokenReview</c> (Kubernetes ServiceAccount tokens, <c>Agent:TokenReview:*</c>).</summary>
    public FaultAgent.Auth.AgentAuthMode AuthMode { get; set; } = FaultAgent.Auth.AgentAuthMode.TokenFile;

    /// <summary>The bearer token file (<c>Agent:AuthMode=TokenFile</c>).</summary>
    public string TokenFile { get; set; } = "/etc/fault-injector/token";

    /// <summary>Serve without bearer tokens. Accepted only when every Kestrel endpoint is bound to loopback.</summary>
    public bool AllowUnauthenticated { get; set; }
}
