using FaultApi.Drills;
using FaultApi.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>
/// At start, and then every <c>Drills:LeaseDuration</c> (<see cref="LeaseRoundsHost"/>), writes again the ends of suites
/// that ended here unrecorded (<see cref="SuiteService.RecordUnrecordedAsync"/>), takes over running suites whose
/// replica stopped (lease released or expired), deletes finished suite records past their retention or count and reads
/// the kept ones' results into <see cref="SuiteResultMetrics"/> (a suite ending here is taken at once); at shutdown
/// stops running suites here and releases their leases. Nothing in static mode.
/// </summary>
public sealed class SuiteResumeHost(SuiteService suites, SuiteResultMetrics results, IOptions<DrillOptions> options, TimeProvider time, ILogger<SuiteResumeHost> logger) : LeaseRoundsHost(time)
{
    protected override bool Enabled => suites.Enabled;

    protected override TimeSpan Interval => options.Value.LeaseDuration;

    protected override IReadOnlyList<LeaseRoundStep> Steps { get; } =
    [
        new(
            async stoppingToken =>
            {
                await suites.RecordUnrecordedAsync(stoppingToken).ConfigureAwait(false);
                await suites.ResumeOrphanedAsync(stoppingToken).ConfigureAwait(false);
                await suites.PruneAsync(stoppingToken).ConfigureAwait(false);
                var mark = results.RefreshMark();
                results.Refresh(await suites.ListAsync(stoppingToken).ConfigureAwait(false), mark);
            },
            ex => SuitesLog.ResumeFailed(logger, ex)),
    ];

    protected override void OnStarting() => suites.Ended += results.Observe;

    protected override Task StopHereAsync() => suites.StopRunningAsync();
}
