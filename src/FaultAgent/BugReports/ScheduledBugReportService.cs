using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.BugReports;

/// <summary>Starts a bug report (trigger "schedule") every <c>Agent:BugReports:Interval</c>; does nothing when it is unset or 0.</summary>
public sealed class ScheduledBugReportService : BackgroundService
{
    public const string Caller = "fault-agent";

    private readonly BugReportCollector _collector;
    private readonly IOptions<BugReportOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduledBugReportService> _logger;

    public ScheduledBugReportService(
        BugReportCollector collector,
        IOptions<BugReportOptions> options,
        TimeProvider time,
        ILogger<ScheduledBugReportService> logger)
    {
        _collector = collector;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Value.Interval is not { } interval || interval <= TimeSpan.Zero)
        {
            return;
        }

        BugReportsLog.ScheduleEnabled(_logger, interval);
        using var timer = new PeriodicTimer(interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // A report still running (e.g. started through the API) is simply returned: no second one.
                await _collector.StartAsync(BugReportTrigger.Schedule, Caller, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                BugReportsLog.ScheduleFailed(_logger, ex);
            }
        }
    }
}
