using Microsoft.Extensions.Logging;

namespace FaultApi.BugReports;

/// <summary>Log messages of the API's bug-report routes (event ids 5100-5199).</summary>
internal static partial class BugReportApiLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Bug report {ReportId} of node {NodeName} downloaded: {Bytes} bytes")]
    public static partial void Downloaded(ILogger logger, string nodeName, string reportId, long bytes);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Download of bug report {ReportId} of node {NodeName} broken off: {Reason}")]
    public static partial void DownloadBroken(ILogger logger, string nodeName, string reportId, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Bug report after injection {FaultId} on node {NodeName} not started: {Reason}")]
    public static partial void InjectionReportNotStarted(ILogger logger, string nodeName, string faultId, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Download of bug report {ReportId} of node {NodeName} ended: its client took nothing for {IdleSeconds} s (BugReports:DownloadIdleTimeoutSeconds) after {Bytes} bytes")]
    public static partial void DownloadStalled(ILogger logger, string nodeName, string reportId, double idleSeconds, long bytes);
}
