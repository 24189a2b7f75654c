namespace FaultAgent.BugReports;

/// <summary>
/// A download refused because the node already serves <c>Agent:BugReports:MaxConcurrentDownloads</c> (nothing was opened):
/// gRPC RESOURCE_EXHAUSTED.
/// </summary>
public sealed class BugReportDownloadLimitException : Exception
{
    public BugReportDownloadLimitException()
    {
    }

    public BugReportDownloadLimitException(string message)
        : base(message)
    {
    }

    public BugReportDownloadLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BugReportDownloadLimitException(string nodeName, int limit)
        : base($"Node '{nodeName}' already serves {limit} bug report download(s), its limit (Agent:BugReports:MaxConcurrentDownloads); retry when one has ended.")
    {
        NodeName = nodeName;
        Limit = limit;
    }

    /// <summary>The node whose limit refused (the QuotaFailure's subject).</summary>
    public string NodeName { get; } = "";

    public int Limit { get; }

    /// <summary>When to try again: a download's end cannot be known ahead, so a short, fixed delay.</summary>
    public static TimeSpan RetryAfter => TimeSpan.FromSeconds(1);
}
