namespace FaultAgent.BugReports;

/// <summary>No report with that id on this node.</summary>
public sealed class BugReportNotFoundException : Exception
{
    public BugReportNotFoundException(string reportId)
        : base($"bug report '{reportId}' not found")
    {
        ReportId = reportId;
    }

    public string ReportId { get; }
}
