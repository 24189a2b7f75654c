namespace FaultInjection.Client.BugReports;

/// <summary>
/// One nvidia-bug-report.sh run: <c>status</c> <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>;
/// progress while running (<see cref="ElapsedSeconds"/>, <see cref="BytesWritten"/>), the archive when done
/// (<see cref="SizeBytes"/>, <see cref="Sha256"/>, <see cref="DownloadUrl"/>).
/// </summary>
public sealed class BugReport
{
    /// <summary>The report's id on its node.</summary>
    public string Id { get; init; } = "";

    /// <summary>The node the report was collected on.</summary>
    public string NodeName { get; init; } = "";

    /// <summary><c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>What started it: <c>api</c> (a caller), <c>schedule</c>, or <c>injection:&lt;fault_id&gt;</c> (an injection's <c>collect_bug_report</c>).</summary>
    public string Trigger { get; init; } = "";

    /// <summary>Who started it.</summary>
    public string Caller { get; init; } = "";

    /// <summary>When nvidia-bug-report.sh was started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ended; null while running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>nvidia-bug-report.sh's exit code once it ended.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Seconds since the start (until the end once it ended).</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Bytes of the archive written so far (progress while running).</summary>
    public long BytesWritten { get; init; }

    /// <summary>The finished archive's size in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>The finished archive's SHA-256 (hex), also sent as <c>X-Checksum-Sha256</c> on download.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The archive's file name (<c>&lt;node&gt;_&lt;id&gt;_nvidia-bug-report.log.gz</c>).</summary>
    public string? FileName { get; init; }

    /// <summary>Why the report failed or timed out.</summary>
    public string? Error { get; init; }

    /// <summary>The API path of this report's status.</summary>
    public string StatusUrl { get; init; } = "";

    /// <summary>The API path of the archive once the report succeeded.</summary>
    public string? DownloadUrl { get; init; }

    /// <summary>Only on start: true when a report was already running on the node and is returned instead.</summary>
    public bool? AlreadyRunning { get; init; }
}
