using System.ComponentModel.DataAnnotations;
using FaultAgent.Hosting;

namespace FaultAgent.Telemetry;

/// <summary>GPU telemetry settings, bound from <c>Agent:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Agent:Telemetry";

    /// <summary>How long one nvidia-smi result is served to every caller (0: every call runs nvidia-smi, still single-flight).</summary>
    [SettingRange("00:00:00", "01:00:00", ErrorMessage = "Agent:Telemetry:CacheDuration must be between 00:00:00 and 01:00:00.")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one nvidia-smi run may take before its process tree is killed.</summary>
    [SettingRange("00:00:01", "00:10:00", ErrorMessage = "Agent:Telemetry:CommandTimeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
