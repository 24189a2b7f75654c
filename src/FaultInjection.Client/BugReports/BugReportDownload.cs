namespace FaultInjection.Client.BugReports;

/// <summary>What <see cref="FaultInjectionClient.DownloadBugReportAsync"/> copied: the bytes and their SHA-256 (lowercase hex), checked against <c>X-Checksum-Sha256</c>.</summary>
public sealed class BugReportDownload
{
    /// <summary>Bytes written to the destination.</summary>
    public long Bytes { get; init; }

    /// <summary>The SHA-256 (hex) of the bytes written, equal to the server's <c>X-Checksum-Sha256</c>.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The file name the server proposed (<c>Content-Disposition</c>), if any.</summary>
    public string? FileName { get; init; }
}
