using System.ComponentModel.DataAnnotations;

namespace FaultApi.BugReports;

/// <summary>The <c>BugReports</c> settings of the API.</summary>
public sealed class BugReportApiOptions
{
    public const string SectionName = "BugReports";

    /// <summary>Deadline of one archive download from an agent (the stream, not each chunk); archives run to hundreds of MiB.</summary>
    [Range(1, 86400, ErrorMessage = "BugReports:DownloadTimeoutSeconds must be between 1 and 86400.")]
    public double DownloadTimeoutSeconds { get; set; } = 900;

    /// <summary>
    /// How long one chunk's write to the HTTP client may wait for that client to take it: past it the API ends the
    /// download (aborts the client's connection and cancels the agent's stream, freeing the node's download place).
    /// Each chunk taken restarts it, so a slow client that keeps reading is never cut.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "BugReports:DownloadIdleTimeoutSeconds must be between 1 and 3600.")]
    public double DownloadIdleTimeoutSeconds { get; set; } = 30;
}
