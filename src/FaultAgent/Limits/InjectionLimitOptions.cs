using System.ComponentModel.DataAnnotations;
using FaultAgent.Hosting;

namespace FaultAgent.Limits;

/// <summary>
/// What one node accepts, bound from <c>Agent:Limits</c>: a token bucket over injections (each writes one to three
/// kernel-log records) and a cap on open faults. Every injection that would write counts, through gRPC and HTTP alike;
/// dry runs and replays of an earlier request do not.
/// </summary>
public sealed class InjectionLimitOptions
{
    public const string SectionName = "Agent:Limits";

    /// <summary>Injections per second the bucket refills with (the sustained rate).</summary>
    [SettingRange(0.001, 1_000_000, ErrorMessage = "Agent:Limits:InjectionsPerSecond must be between 0.001 and 1000000.")]
    public double InjectionsPerSecond { get; set; } = 20;

    /// <summary>The bucket's size: injections accepted at once after a quiet period.</summary>
    [SettingRange(1, 1_000_000, ErrorMessage = "Agent:Limits:InjectionBurst must be between 1 and 1000000.")]
    public int InjectionBurst { get; set; } = 100;

    /// <summary>Open faults (active, outcome unknown, partially written) the node holds at most; clear some to inject more.</summary>
    [SettingRange(1, 1_000_000, ErrorMessage = "Agent:Limits:MaxActiveFaults must be between 1 and 1000000.")]
    public int MaxActiveFaults { get; set; } = 1000;
}
