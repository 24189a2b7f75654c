using FaultInjection.Agent.V1;

namespace FaultApi.BugReports;

/// <summary>The agent's <see cref="BugReport"/> to <see cref="BugReportResource"/>, with the API's URLs for it.</summary>
public static class BugReportResourceMapper
{
    public static BugReportResource FromReport(string nodeName, BugReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var url = ReportUrl(nodeName, report.ReportId);
        return new BugReportResource(
            report.ReportId,
            nodeName,
            StateName(report.State),
            report.Trigger,
            report.Caller,
            report.StartedAt?.ToDateTimeOffset(),
            report.EndedAt?.ToDateTimeOffset(),
            report.HasExitCode ? report.ExitCode : null,
            Math.Round(report.ElapsedSeconds, 3),
            report.BytesWritten,
            report.SizeBytes,
            NullIfEmpty(report.Sha256),
            NullIfEmpty(report.FileName),
            NullIfEmpty(report.Error),
            url + "/status",
            report.State != BugReportState.Running && report.FileName.Length > 0 ? url : null);
    }

    public static string ReportUrl(string nodeName, string reportId) =>
        $"/api/v1/bug-reports/{Uri.EscapeDataString(nodeName)}/{Uri.EscapeDataString(reportId)}";

    public static string StateName(BugReportState state) => state switch
    {
        BugReportState.Running => "running",
        BugReportState.Succeeded => "succeeded",
        BugReportState.Failed => "failed",
        BugReportState.TimedOut => "timed_out",
        _ => "unknown",
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
