using System.ComponentModel.DataAnnotations;
using FaultAgent.Hosting;

namespace FaultAgent.Registry;

/// <summary>Bounds of the fault registry, bound from <c>Agent:Registry</c>.</summary>
public sealed class FaultRegistryOptions
{
    public const string SectionName = "Agent:Registry";

    /// <summary>Ended (cleared, expired, resolved by reboot) records kept at most; the oldest are pruned first.</summary>
    [SettingRange(0, 1_000_000, ErrorMessage = "Agent:Registry:MaxEndedRecords must be between 0 and 1000000.")]
    public int MaxEndedRecords { get; set; } = 1000;

    /// <summary>How long an ended record is kept after it ended.</summary>
    [SettingRange("00:00:00", "3650.00:00:00", ErrorMessage = "Agent:Registry:EndedRetention must be a time span between 0 and 3650 days (e.g. 7.00:00:00).")]
    public TimeSpan EndedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The journal is compacted (rewritten to one entry per record kept) after a change once it holds this many entries and
    /// twice as many as records kept: its size stays within max(this, 2 × records kept) entries.
    /// </summary>
    [SettingRange(16, 10_000_000, ErrorMessage = "Agent:Registry:CompactAfterEntries must be between 16 and 10000000.")]
    public int CompactAfterEntries { get; set; } = 1024;
}
