using FaultInjection.Client.BugReports;

namespace FaultCtl.BugReports;

/// <summary>What <c>faultctl bug-report -o json</c> prints: the report, and where its archive was saved when downloaded.</summary>
public sealed class BugReportResult
{
    /// <summary>The report as the API last showed it.</summary>
    public required BugReport Report { get; init; }

    /// <summary>The archive copied (bytes, SHA-256 checked against the server's), with <c>--download</c>.</summary>
    public BugReportDownload? Download { get; init; }

    /// <summary>The file the archive was saved to, with <c>--download</c>.</summary>
    public string? Path { get; init; }
}
