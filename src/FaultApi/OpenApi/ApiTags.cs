namespace FaultApi.OpenApi;

/// <summary>
/// The tags that group the API's routes in the OpenAPI document, each with the description a reader of the document (or
/// a generated client's docs) sees. A feature's routes take their tag from here (<c>MapApiGroup(prefix, ApiTags.X)</c>),
/// so the document never has a tag without a description.
/// </summary>
public static class ApiTags
{
    public const string Health = "Health";
    public const string Faults = "Faults";
    public const string Nodes = "Nodes";
    public const string GpuTelemetry = "GPU telemetry";
    public const string BugReports = "Bug reports";
    public const string EmergencyStop = "Emergency stop";
    public const string Audit = "Audit";
    public const string Drills = "Drills";
    public const string Suites = "Suites";

    /// <summary>Every tag with its description, in the order the document lists them.</summary>
    public static IReadOnlyList<(string Name, string Description)> All { get; } =
    [
        (Health, "Liveness and readiness of the API itself (no token needed)."),
        (Faults, "Inject NVIDIA driver Xid and NVSwitch SXid faults (kernel log, DCGM), list them, clear them, and read the catalogs of what can be injected."),
        (Nodes, "The GPU nodes that run a fault agent, with their GPUs, NVSwitches and driver."),
        (GpuTelemetry, "Each node's nvidia-smi telemetry, fleet totals and GPU processes, gathered from the agents."),
        (BugReports, "Run nvidia-bug-report.sh on a node, follow it, and download the archive."),
        (EmergencyStop, "The cluster-wide emergency stop: engage, release and show each agent's acknowledgement."),
        (Audit, "The audit events the agents keep: who injected, cleared or stopped what, and with what result."),
        (Drills, "Drills: inject a fault and watch for the reaction a health monitor promises (cordon, taint, pod eviction), with a verdict and a timeline."),
        (Suites, "Suites: many drills across nodes (by name or label selector), a few at once, with one verdict, every drill's timeline and its fault cleared."),
    ];
}
