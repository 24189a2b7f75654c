namespace FaultAgent.Hosting;

/// <summary>
/// <c>Agent:Http</c>: the agent's Kestrel connection cap. Kestrel counts it per endpoint (each of Http, Grpc, Metrics and
/// Control holds at most this many connections), and closes a connection accepted beyond it at once, before reading
/// anything from it (<see cref="AgentEndpoints"/>).
/// </summary>
public sealed class AgentHttpOptions
{
    public const string SectionName = "Agent:Http";

    /// <summary>
    /// 256: the agent's callers are the API's replicas (one HTTP/2 connection each, a few when more than 100 calls are
    /// in flight), the kubelet's probes and a scraper. Measured on the native agent (README, settings): an idle
    /// connection holds ~15 KiB (HTTP/1.1, after one answered request) to ~46 KiB (HTTP/2, after one gRPC call), so 256
    /// on each of the four endpoints is at most ~31 MiB over the agent's ~39 MB, far within the DaemonSet's 256 Mi.
    /// </summary>
    public const int DefaultMaxConnections = 256;

    [SettingRange(1, 100_000, ErrorMessage = "Agent:Http:MaxConnections must be between 1 and 100000.")]
    public int MaxConnections { get; set; } = DefaultMaxConnections;
}
