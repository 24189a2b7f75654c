using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;

namespace FaultAgent.BugReports;

/// <summary>Maps a stored record (and live progress while it runs) to the contract's <see cref="BugReport"/>.</summary>
public static class BugReportMapper
{
    public static BugReport ToProto(BugReportRecord record, string nodeName, DateTimeOffset now, long bytesWrittenSoFar)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ended = record.EndedAt ?? now;
        var report = new BugReport
        {
            ReportId = record.Id,
            NodeName = nodeName,
            State = record.Status switch
            {
                BugReportStatus.Running => BugReportState.Running,
                BugReportStatus.Succeeded => BugReportState.Succeeded,
                BugReportStatus.Failed => BugReportState.Failed,
                BugReportStatus.TimedOut => BugReportState.TimedOut,
                _ => BugReportState.Unspecified,
            },
            Trigger = record.Trigger,
            Caller = record.Caller,
            StartedAt = Timestamp.FromDateTimeOffset(record.StartedAt),
            ElapsedSeconds = Math.Max(0, (ended - record.StartedAt).TotalSeconds),
            BytesWritten = record.IsFinished ? record.SizeBytes : bytesWrittenSoFar,
            SizeBytes = record.SizeBytes,
            Sha256 = record.Sha256,
            FileName = record.FileName,
            Error = record.Error,
        };
        if (record.EndedAt is { } endedAt)
        {
            report.EndedAt = Timestamp.FromDateTimeOffset(endedAt);
        }

        if (record.ExitCode is { } exitCode)
        {
            report.ExitCode = exitCode;
        }

        return report;
    }
}
