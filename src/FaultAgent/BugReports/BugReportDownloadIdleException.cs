using System.Globalization;

namespace FaultAgent.BugReports;

/// <summary>
/// A download ended by the agent because its caller took no chunk for <c>Agent:BugReports:DownloadIdleTimeout</c> (its
/// place and file are freed): gRPC ABORTED.
/// </summary>
public sealed class BugReportDownloadIdleException : Exception
{
    public BugReportDownloadIdleException()
    {
    }

    public BugReportDownloadIdleException(string message)
        : base(message)
    {
    }

    public BugReportDownloadIdleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BugReportDownloadIdleException(string nodeName, string reportId, TimeSpan idleTimeout, long bytesTaken)
        : base(string.Create(CultureInfo.InvariantCulture, $"Node '{nodeName}' ended the download of bug report '{reportId}': its caller took no data for {idleTimeout.TotalSeconds:0.###} s (Agent:BugReports:DownloadIdleTimeout) after {bytesTaken} bytes; download it again, reading as it arrives."))
    {
        NodeName = nodeName;
        ReportId = reportId;
        IdleTimeout = idleTimeout;
    }

    public string NodeName { get; } = "";

    public string ReportId { get; } = "";

    public TimeSpan IdleTimeout { get; }

    /// <summary>The write the caller never took, still pending (it ends when the call does); null when none is known.</summary>
    public Task? PendingWrite { get; init; }
}
