namespace FaultAgent.BugReports;

/// <summary>The report has no archive to download: still running, or it ended without one.</summary>
public sealed class BugReportNotReadyException : Exception
{
    public BugReportNotReadyException(string reportId, string reason)
        : base($"bug report '{reportId}' cannot be downloaded: {reason}")
    {
        ReportId = reportId;
    }

    public string ReportId { get; }
}
