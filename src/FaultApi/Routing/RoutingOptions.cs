using System.ComponentModel.DataAnnotations;

namespace FaultApi.Routing;

/// <summary>The <c>Routing</c> settings.</summary>
public sealed class RoutingOptions
{
    public const string SectionName = "Routing";

    public RoutingMode Mode { get; set; } = RoutingMode.Kubernetes;

    [Required(AllowEmptyStrings = false)]
    public string Namespace { get; set; } = "fault-injection-system";

    [Required(AllowEmptyStrings = false)]
    public string AgentLabelSelector { get; set; } = "app=gpu-fault-injector-kernel";

    [Range(1, 65535)]
    public int AgentGrpcPort { get; set; } = 8084;

    /// <summary>
    /// The agents' Control port (their <c>Kestrel:Endpoints:Control</c>, 8086 in the DaemonSet), where the emergency stop's
    /// calls (<c>SetEmergencyStop</c>, <c>GetEmergencyStop</c>) go: it has connection room of its own, so a flood of an
    /// agent's gRPC port does not keep the stop out. Unset: the stop goes to the agent's gRPC address like every call.
    /// </summary>
    [Range(1, 65535, ErrorMessage = "Routing:AgentControlPort must be a TCP port (1 to 65535).")]
    public int? AgentControlPort { get; set; }

    /// <summary>Where the emergency stop's calls to the agent at <paramref name="agentAddress"/> go: its Control port when <see cref="AgentControlPort"/> is set, else that address.</summary>
    public Uri StopAddressOf(Uri agentAddress) =>
        AgentControlPort is { } port ? new UriBuilder(agentAddress) { Port = port }.Uri : agentAddress;

    /// <summary>Kubeconfig file to use outside a cluster; empty: <c>KUBECONFIG</c>, then <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>First delay before re-listing after a failed list or watch; doubles up to <see cref="WatchBackoffMaxMilliseconds"/>, with jitter.</summary>
    [Range(1, 600_000)]
    public int WatchBackoffInitialMilliseconds { get; set; } = 250;

    [Range(1, 600_000)]
    public int WatchBackoffMaxMilliseconds { get; set; } = 30_000;

    /// <summary>Server-side timeout asked for each watch request (the watch is then resumed from the last resource version).</summary>
    [Range(1, 3600)]
    public int WatchTimeoutSeconds { get; set; } = 300;

    public StaticRoutingOptions Static { get; set; } = new();
}
