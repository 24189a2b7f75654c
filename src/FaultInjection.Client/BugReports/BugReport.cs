namespace FaultInjection.Client.BugReports;

/// <summary>
/// One nvidia-bug-report.sh run: <c>status</c> <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>;
/// progress while running (<see cref="ElapsedSeconds"/>, <see cref="BytesWritten"/>), the archive when done
/// (<see cref="SizeBytes"/>, <see cref="Sha256"/>, <see cref="DownloadUrl"/>).
/// </summary>
public sealed class BugReport
{
    public string Id { get; init; } = "";

    public string NodeName { get; init; } = "";

    public string Status { get; init; } = "";

    public string Trigger { get; init; } = "";

    public string Caller { get; init; } = "";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? ExitCode { get; init; }

    public double ElapsedSeconds { get; init; }

    public long BytesWritten { get; init; }

    public long SizeBytes { get; init; }

    public string? Sha256 { get; init; }

    public string? FileName { get; init; }

    public string? Error { get; init; }

    public string StatusUrl { get; init; } = "";

    public string? DownloadUrl { get; init; }

    /// <summary>Only on start: true when a report was already running on the node and is returned instead.</summary>
    public bool? AlreadyRunning { get; init; }
}
