namespace FaultInjection.Client.BugReports;

/// <summary>Body of <c>POST /api/v1/bug-reports</c>.</summary>
internal sealed class StartBugReportBody
{
    public string NodeName { get; init; } = "";
}
