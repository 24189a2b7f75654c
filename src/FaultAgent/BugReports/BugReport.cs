namespace FaultAgent.BugReports;

/// <summary>
/// A report as callers see it: its stored record on this node, with live progress (elapsed time, bytes written so far)
/// while it runs and its final size once finished.
/// </summary>
public sealed record BugReport
{
    public required string ReportId { get; init; }

    public required string NodeName { get; init; }

    public required BugReportStatus Status { get; init; }

    /// <summary>"api", "schedule" or "injection:&lt;fault_id&gt;".</summary>
    public required string Trigger { get; init; }

    public required string Caller { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Until the end, or until now while it runs.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Bytes of the archive so far while it runs; its size once finished.</summary>
    public long BytesWritten { get; init; }

    public long SizeBytes { get; init; }

    public string Sha256 { get; init; } = "";

    public string FileName { get; init; } = "";

    public string Error { get; init; } = "";

    /// <summary>The report of <paramref name="record"/> at <paramref name="now"/>, with the bytes a running one has written so far.</summary>
    public static BugReport From(BugReportRecord record, string nodeName, DateTimeOffset now, long bytesWrittenSoFar)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ended = record.EndedAt ?? now;
        return new BugReport
        {
            ReportId = record.Id,
            NodeName = nodeName,
            Status = record.Status,
            Trigger = record.Trigger,
            Caller = record.Caller,
            StartedAt = record.StartedAt,
            EndedAt = record.EndedAt,
            ExitCode = record.ExitCode,
            ElapsedSeconds = Math.Max(0, (ended - record.StartedAt).TotalSeconds),
            BytesWritten = record.IsFinished ? record.SizeBytes : bytesWrittenSoFar,
            SizeBytes = record.SizeBytes,
            Sha256 = record.Sha256,
            FileName = record.FileName,
            Error = record.Error,
        };
    }
}
