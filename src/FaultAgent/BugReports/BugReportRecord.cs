namespace FaultAgent.BugReports;

/// <summary>One report's metadata, kept as <c>bug-reports/&lt;id&gt;/metadata.json</c> so the list survives restarts.</summary>
public sealed record BugReportRecord
{
    public required string Id { get; init; }

    public required BugReportStatus Status { get; init; }

    /// <summary>"api", "schedule" or "injection:&lt;fault_id&gt;".</summary>
    public required string Trigger { get; init; }

    public required string Caller { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? ExitCode { get; init; }

    public long SizeBytes { get; init; }

    public string Sha256 { get; init; } = "";

    /// <summary>The archive's file name in the report directory ("nvidia-bug-report.log.gz"); empty when none was written.</summary>
    public string FileName { get; init; } = "";

    public string Error { get; init; } = "";

    public bool IsFinished => Status != BugReportStatus.Running;
}
