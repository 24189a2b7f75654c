using FaultAgent.BugReports;
using Google.Protobuf.WellKnownTypes;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>The bug-report domain types to the contract's messages.</summary>
public static class BugReportMessageMapper
{
    public static Proto.BugReport ToProto(this BugReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var message = new Proto.BugReport
        {
            ReportId = report.ReportId,
            NodeName = report.NodeName,
            State = report.Status.ToProto(),
            Trigger = report.Trigger,
            Caller = report.Caller,
            StartedAt = Timestamp.FromDateTimeOffset(report.StartedAt),
            ElapsedSeconds = report.ElapsedSeconds,
            BytesWritten = report.BytesWritten,
            SizeBytes = report.SizeBytes,
            Sha256 = report.Sha256,
            FileName = report.FileName,
            Error = report.Error,
        };
        if (report.EndedAt is { } endedAt)
        {
            message.EndedAt = Timestamp.FromDateTimeOffset(endedAt);
        }

        if (report.ExitCode is { } exitCode)
        {
            message.ExitCode = exitCode;
        }

        return message;
    }

    public static Proto.BugReportState ToProto(this BugReportStatus status) => status switch
    {
        BugReportStatus.Running => Proto.BugReportState.Running,
        BugReportStatus.Succeeded => Proto.BugReportState.Succeeded,
        BugReportStatus.Failed => Proto.BugReportState.Failed,
        BugReportStatus.TimedOut => Proto.BugReportState.TimedOut,
        _ => Proto.BugReportState.Unspecified,
    };

    public static Proto.StartBugReportResponse ToProto(this BugReportStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return new Proto.StartBugReportResponse { Report = start.Report.ToProto(), AlreadyRunning = start.AlreadyRunning };
    }

    public static Proto.ListBugReportsResponse ToProto(this BugReportList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var message = new Proto.ListBugReportsResponse { NodeName = list.NodeName, NextPageToken = list.NextPageToken, TotalSize = list.TotalSize };
        message.Reports.AddRange(list.Reports.Select(ToProto));
        return message;
    }
}
