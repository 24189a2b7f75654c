using System.ComponentModel.DataAnnotations;

namespace FaultApi.Hosting;

/// <summary>
/// The <c>Http</c> settings: the API's Kestrel connection cap and the port kept for the emergency stop and the probes.
/// Kestrel counts the cap per listening address, so the control port (<see cref="ControlPort"/>, one more address in
/// <c>--urls</c>) has room of its own that a flood of the main port cannot take.
/// </summary>
public sealed class ApiHttpOptions
{
    public const string SectionName = "Http";

    /// <summary>
    /// 1024: the API's inbound callers are people and test suites (its calls to the agents are outbound, one HTTP/2
    /// connection per agent, not counted). Measured on the published API (README, settings): an idle keep-alive
    /// connection holds at most ~31 KiB, so 1024 on each of the two ports is at most ~62 MiB over the API's ~113 MB
    /// idle, within the Deployment's 512 Mi beside a 1,000-agent fan-out (at most ~200 MB, BENCHMARKS.md).
    /// </summary>
    public const int DefaultMaxConnections = 1024;

    /// <summary>Connections each listening address holds at once; Kestrel closes each one accepted beyond, reading nothing.</summary>
    [Range(1, 100_000, ErrorMessage = "Http:MaxConnections must be between 1 and 100000.")]
    public int MaxConnections { get; set; } = DefaultMaxConnections;

    /// <summary>
    /// The port (one of the <c>--urls</c> addresses) that serves only <c>/health</c>, <c>/ready</c> and <c>/api/v1/stop</c>
    /// (<see cref="ControlPortMiddleware"/>); unset: none.
    /// </summary>
    [Range(1, 65535, ErrorMessage = "Http:ControlPort must be a TCP port (1 to 65535).")]
    public int? ControlPort { get; set; }
}
