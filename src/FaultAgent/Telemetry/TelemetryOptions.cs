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

    /// <summary>
    /// How long an injection that must print a board serial (a GPU's first Xid this boot, Xid 79) waits for nvidia-smi's
    /// answer before it is refused (UNAVAILABLE, nothing written); the run itself goes on up to <see cref="CommandTimeout"/>.
    /// The API sends an injection again on UNAVAILABLE (<c>Agents:MaxAttempts</c>, 3) within its call deadline
    /// (<c>Agents:CallTimeoutSeconds</c>, 15 s): three waits of 3 s and the backoffs end in ~9.3 s, so the caller hears why
    /// (503 naming nvidia-smi) instead of a 504, and a run that answers meanwhile still serves a later attempt.
    /// </summary>
    [SettingRange("00:00:01", "00:10:00", ErrorMessage = "Agent:Telemetry:BoardLookupWait must be between 00:00:01 and 00:10:00.")]
    public TimeSpan BoardLookupWait { get; set; } = TimeSpan.FromSeconds(3);
}
