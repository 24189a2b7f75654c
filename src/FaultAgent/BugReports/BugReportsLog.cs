using Microsoft.Extensions.Logging;

namespace FaultAgent.BugReports;

/// <summary>Log messages of bug-report collection (event ids 4300-4399).</summary>
internal static partial class BugReportsLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Bug report {ReportId} started (trigger {Trigger}, caller {Caller})")]
    public static partial void Started(ILogger logger, string reportId, string trigger, string caller);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Bug report {ReportId} ended {Status}: {SizeBytes} bytes, exit code {ExitCode}")]
    public static partial void Ended(ILogger logger, string reportId, BugReportStatus status, long sizeBytes, int? exitCode);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Bug report {ReportId} failed: {Error}")]
    public static partial void Failed(ILogger logger, string reportId, string error);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Bug report {ReportId} was running when the agent stopped; marked failed")]
    public static partial void MarkedRestarted(ILogger logger, string reportId);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "Unreadable bug report metadata skipped: {Problem}")]
    public static partial void UnreadableMetadata(ILogger logger, string problem);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Information, Message = "Bug report {ReportId} deleted (keeping at most {MaxReports})")]
    public static partial void Deleted(ILogger logger, string reportId, int maxReports);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Warning, Message = "Deleting bug report {ReportId} failed")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string reportId);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Error, Message = "Bug report {ReportId} could not be finished")]
    public static partial void Unexpected(ILogger logger, Exception exception, string reportId);

    [LoggerMessage(EventId = 4308, Level = LogLevel.Information, Message = "Scheduled bug reports every {Interval}")]
    public static partial void ScheduleEnabled(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 4309, Level = LogLevel.Warning, Message = "Scheduled bug report could not start")]
    public static partial void ScheduleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4310, Level = LogLevel.Warning, Message = "Bug report {ReportId} download ended: its caller took no data for {IdleTimeout} (Agent:BugReports:DownloadIdleTimeout); its place is free, ABORTED follows what the caller still has to read")]
    public static partial void DownloadIdle(ILogger logger, string reportId, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Information, Message = "Bug report {ReportId} idle download's stream reset")]
    public static partial void DownloadIdleReset(ILogger logger, string reportId);
}
