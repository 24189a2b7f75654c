using FaultApi.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>
/// At start, and then every <c>Drills:LeaseDuration</c> (<see cref="LeaseRoundsHost"/>), takes over running drills whose
/// replica stopped (lease released or expired) so no drill is left unfollowed, and deletes finished drill records past
/// their retention or count (<see cref="DrillService.PruneAsync"/>); at shutdown stops following and releases the
/// leases. Nothing in static mode.
/// </summary>
public sealed class DrillResumeHost(DrillService drills, IOptions<DrillOptions> options, TimeProvider time, ILogger<DrillResumeHost> logger) : LeaseRoundsHost(time)
{
    protected override bool Enabled => drills.Enabled;

    protected override TimeSpan Interval => options.Value.LeaseDuration;

    protected override IReadOnlyList<LeaseRoundStep> Steps { get; } =
    [
        new(drills.ResumeOrphanedAsync, ex => DrillsLog.ResumeFailed(logger, ex)),
        new(drills.PruneAsync, ex => DrillsLog.PruneFailed(logger, ex)),
    ];

    protected override Task StopHereAsync() => drills.StopFollowingAsync();
}
