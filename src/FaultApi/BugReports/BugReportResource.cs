using System.Text.Json.Serialization;

namespace FaultApi.BugReports;

/// <summary>
/// One nvidia-bug-report.sh run on a node: <c>status</c> <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>;
/// while running, <c>elapsed_seconds</c> and <c>bytes_written</c> show progress; when done, <c>size_bytes</c> and
/// <c>sha256</c> describe the archive at <c>download_url</c>.
/// </summary>
public sealed record BugReportResource(
    string Id,
    string NodeName,
    string Status,
    string Trigger,
    string Caller,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    int? ExitCode,
    double ElapsedSeconds,
    long BytesWritten,
    long SizeBytes,
    string? Sha256,
    string? FileName,
    string? Error,
    string StatusUrl,
    string? DownloadUrl)
{
    /// <summary>Only on <c>POST /api/v1/bug-reports</c>: true when a report was already running and is returned instead.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AlreadyRunning { get; init; }
}
