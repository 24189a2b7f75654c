using System.ComponentModel.DataAnnotations;

namespace FaultApi.BugReports;

/// <summary>The <c>BugReports</c> settings of the API.</summary>
public sealed class BugReportApiOptions
{
    public const string SectionName = "BugReports";

    /// <summary>Deadline of one archive download from an agent (the stream, not each chunk); archives run to hundreds of MiB.</summary>
    [Range(1, 86400, ErrorMessage = "BugReports:DownloadTimeoutSeconds must be between 1 and 86400.")]
    public double DownloadTimeoutSeconds { get; set; } = 900;
}
